package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.ArrayList;
import java.util.List;

import static it.org.libertyevents.aggregator.support.Api.batch;
import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * POST /publish stores each (topic, event_id) once, whatever the producer repeats, and says what it did. Concurrent
 * publishes are {@link ConcurrentWritersIT}'s.
 */
@MicroShedTest
class PublishIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void singleEventIsStoredAndAcknowledgedAfterCommit() {
        String topic = freshTopic("single");
        Reply reply = Api.publish(event(topic, "e-1").toString());

        assertEquals(200, reply.status());
        assertEquals(1, reply.json().getInt("received"));
        assertEquals(1, reply.json().getInt("stored"));
        assertEquals(0, reply.json().getInt("duplicates"));
        JsonObject result = reply.array("results").getJsonObject(0);
        assertEquals(topic, result.getString("topic"));
        assertEquals("e-1", result.getString("event_id"));
        assertEquals("stored", result.getString("status"));
        // 200 means committed: the event is readable at once.
        assertEquals(200, Api.get("/events/" + Api.encode(topic) + "/e-1").status());
    }

    @Test
    void sameEventFiveTimesIsStoredOnceAndCountedFourTimesAsDuplicate() {
        String topic = freshTopic("five");
        Ledger ledger = new Ledger();
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(ledger.publish(Api.baseUrl(), event(topic, "again").toString(), false).array("results")
                    .getJsonObject(0).getString("status"));
        }
        assertEquals(List.of("stored", "duplicate", "duplicate", "duplicate", "duplicate"), statuses);
        ledger.assertMatches(Api.baseUrl());
    }

    @Test
    void batchKeepsRequestOrderAndFirstOccurrenceInsideTheBatchWins() {
        String topic = freshTopic("batch");
        Ledger ledger = new Ledger();
        Reply reply = ledger.publish(Api.baseUrl(), batch(event(topic, "a"), event(topic, "b"), event(topic, "a"),
                event(topic, "c"), event(topic, "b")), false);

        assertEquals(200, reply.status());
        assertEquals(5, reply.json().getInt("received"));
        assertEquals(3, reply.json().getInt("stored"));
        assertEquals(2, reply.json().getInt("duplicates"));
        assertEquals(List.of("a:stored", "b:stored", "a:duplicate", "c:stored", "b:duplicate"),
                reply.array("results").getValuesAs(JsonValue::asJsonObject).stream()
                        .map(r -> r.getString("event_id") + ":" + r.getString("status")).toList());
        assertEquals(List.of("a", "b", "c"), Api.get("/events?topic=" + Api.encode(topic)).array("events")
                .getValuesAs(JsonValue::asJsonObject).stream().map(e -> e.getString("event_id")).toList());
        ledger.assertMatches(Api.baseUrl());
    }

    @Test
    void sameEventIdInTwoTopicsIsTwoEvents() {
        String first = freshTopic("topic-a");
        String second = freshTopic("topic-b");
        Reply reply = Api.publish(batch(event(first, "shared-id"), event(second, "shared-id")));

        assertEquals(2, reply.json().getInt("stored"));
        assertEquals(200, Api.get("/events/" + Api.encode(first) + "/shared-id").status());
        assertEquals(200, Api.get("/events/" + Api.encode(second) + "/shared-id").status());
    }
}
