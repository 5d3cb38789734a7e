package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.Map;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasure of one event: {@code DELETE /events/{topic}/{event_id}} removes the payload at once and keeps the key, so
 * a read answers 410 and a resend is still a duplicate (or a conflict: the hash is kept), and the topic's counters
 * say one payload was erased. A bulk erasure ({@code DELETE /events?topic=}) does the same in the background for
 * what matched when it was asked, with its progress at a status URL. The oracle is what this test published: the events it stored and the one it erased.
 */
@MicroShedTest
class EventErasureIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }


    @Test
    void anErasedEventIsGoneButItsKeyStaysTaken() {
        String topic = freshTopic("erasure");
        String base = Api.baseUrl();
        assertEquals(200, Api.publish("[" + event(topic, "keep", "{\"v\":1}") + "," + event(topic, "erase",
                "{\"v\":2,\"email\":\"someone@example.com\"}") + "]").status());

        Reply erased = Api.deleteAt(base, path(topic, "erase") + "?reason=subject%20request", Map.of());
        assertEquals(204, erased.status(), erased.brief());

        Reply read = Api.get(path(topic, "erase"));
        assertEquals(410, read.status(), read.brief());
        assertTrue(read.json().getString("type").endsWith(":event-erased"), read.brief());
        assertTrue(read.json().getString("detail").contains("subject request"), read.brief());
        assertEquals(200, Api.get(path(topic, "keep")).status(), "the other event stays");
        assertEquals(1, Api.get("/events?topic=" + Api.encode(topic)).json().getJsonArray("events").size(),
                "the feed passes over the erased event");

        Reply resend = Api.publish(event(topic, "erase", "{\"v\":2,\"email\":\"someone@example.com\"}"));
        assertEquals("duplicate", resend.array("results").getJsonObject(0).getString("status"), resend.brief());
        Reply changed = Api.publish(event(topic, "erase", "{\"v\":3}"));
        assertEquals("conflict", changed.array("results").getJsonObject(0).getString("status"), changed.brief());
        assertEquals(410, Api.get(path(topic, "erase")).status(), "a resend brings nothing back");

        assertEquals(204, Api.deleteAt(base, path(topic, "erase"), Map.of()).status(), "erasing again is no error");
        JsonObject counters = Api.topicEntryAt(base, topic);
        assertEquals(2, counters.getJsonNumber("unique").longValue(), counters.toString());
        assertEquals(2, counters.getJsonNumber("duplicates").longValue(), "the conflict is a repeat too: " + counters);
        assertEquals(1, counters.getJsonNumber("conflicts").longValue(), counters.toString());
        assertEquals(1, counters.getJsonNumber("erased").longValue(), "erased once, however often asked");
        assertEquals(0, counters.getJsonNumber("expired").longValue(), counters.toString());
    }

    @Test
    void aBulkErasureRemovesWhatMatchedWhenAskedAndKeepsTheKeys() {
        String topic = freshTopic("bulk-erasure");
        String other = freshTopic("bulk-erasure-other");
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            batch.append(event(topic, "e" + i, "{\"i\":" + i + "}")).append(',');
        }
        batch.append(event(other, "e0", "{\"i\":0}")).append(']');
        assertEquals(200, Api.publish(batch.toString()).status());

        Reply accepted = Api.deleteAt(Api.baseUrl(), "/events?topic=" + Api.encode(topic) + "&reason=retired", Map.of());
        assertEquals(202, accepted.status(), accepted.brief());
        String status = accepted.json().getString("status");
        assertTrue(accepted.headers().firstValue("Location").orElse("").endsWith(status), accepted.brief());
        assertEquals(200, Api.publish(event(topic, "late", "{}")).status(), "received after the request");

        JsonObject done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> Api.get(status).json(), job -> job.getString("state").equals("done"));
        assertEquals(30, done.getJsonNumber("erased").longValue(), done.toString());
        for (int i = 0; i < 30; i++) {
            assertEquals(410, Api.get(path(topic, "e" + i)).status(), "e" + i);
        }
        assertEquals(200, Api.get(path(topic, "late")).status(), "an event received after the request stays");
        assertEquals(200, Api.get(path(other, "e0")).status(), "another topic stays");
        Reply resend = Api.publish(event(topic, "e7", "{\"i\":7}"));
        assertEquals("duplicate", resend.array("results").getJsonObject(0).getString("status"), resend.brief());
        JsonObject counters = Api.topicEntryAt(Api.baseUrl(), topic);
        assertEquals(31, counters.getJsonNumber("unique").longValue(), counters.toString());
        assertEquals(30, counters.getJsonNumber("erased").longValue(), counters.toString());
    }

    @Test
    void aBulkErasureNeedsATopicOrASource() {
        Reply refused = Api.deleteAt(Api.baseUrl(), "/events", Map.of());
        assertEquals(400, refused.status(), refused.brief());
        assertEquals(404, Api.get("/erasures/987654321").status());
        assertEquals(404, Api.get("/erasures/not-a-number").status());
    }

    @Test
    void aKeyNeverStoredIsNotFoundNotGone() {
        String topic = freshTopic("erasure-unknown");
        Reply erase = Api.deleteAt(Api.baseUrl(), path(topic, "never"), Map.of());
        assertEquals(404, erase.status(), erase.brief());
        assertEquals(404, Api.get(path(topic, "never")).status());
    }

    private static String path(String topic, String id) {
        return "/events/" + Api.encode(topic) + "/" + Api.encode(id);
    }
}
