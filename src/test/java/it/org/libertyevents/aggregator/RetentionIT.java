package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention set to seconds ({@code EVENTS_RETENTION=PT3S}, {@code DEDUP_RETENTION=PT20S}, a pass every second) on an instance of the test's own, on
 * a database of its own (PostgreSQL: a fresh database, where payload partitions of a second are created and dropped;
 * H2: the instance's embedded database, swept row by row): a payload goes, a read answers 410, a resend is a
 * duplicate or a conflict and never stored again, the counters add up, and a reader following the feed goes on
 * past the expired events; later the key is forgotten. The oracle is what the test published and when.
 */
@MicroShedTest
class RetentionIT {

    private static final int INSTANCE = 28;
    private static final Duration EXPIRY = Duration.ofSeconds(30);
    private static String instance;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        Map<String, String> env = new HashMap<>(Map.of("EVENTS_RETENTION", "PT3S", "DEDUP_RETENTION", "PT20S",
                "RETENTION_INTERVAL", "PT1S"));
        if (ItDatabase.isPostgres()) {
            env.put("DB_URL", ItDatabase.freshDatabase("retention"));
        }
        instance = Instances.start(INSTANCE, env);
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }


    @Test
    void anExpiredPayloadGoesAndItsKeyStaysTaken() {
        String topic = freshTopic("retention");
        Reply stored = publish(event(topic, "a", "{\"v\":1}"));
        assertEquals("stored", stored.array("results").getJsonObject(0).getString("status"), stored.brief());
        assertEquals(200, Api.getFrom(instance, path(topic, "a")).status(), "kept until it expires");

        Reply gone = await().atMost(EXPIRY).pollInterval(Duration.ofMillis(250))
                .until(() -> Api.getFrom(instance, path(topic, "a")), reply -> reply.status() != 200);
        assertEquals(410, gone.status(), gone.brief());
        assertTrue(gone.json().getString("type").endsWith(":event-expired"), gone.brief());
        assertTrue(gone.json().getString("detail").contains("PT3S"), gone.brief());

        Reply resend = publish(event(topic, "a", "{\"v\":1}"));
        assertEquals("duplicate", resend.array("results").getJsonObject(0).getString("status"), resend.brief());
        Reply changed = publish(event(topic, "a", "{\"v\":2}"));
        assertEquals("conflict", changed.array("results").getJsonObject(0).getString("status"), changed.brief());
        assertEquals(410, Api.getFrom(instance, path(topic, "a")).status(), "a resend stores nothing again");

        JsonObject counters = Api.topicEntryAt(instance, topic);
        assertEquals(List.of(1L, 2L, 1L, 1L, 0L), List.of(number(counters, "unique"), number(counters, "duplicates"),
                number(counters, "conflicts"), number(counters, "expired"), number(counters, "erased")),
                "two repeats, one of them a conflict: " + counters);
        String metrics = Api.text(instance, "/metrics");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("aggregator_payloads_expired_total")
                && !line.endsWith(" 0.0")), "this instance's passes removed the payload");
        assertTrue(metrics.contains("aggregator_storage_keys") && metrics.contains("aggregator_storage_payloads"),
                "the storage gauges are there");
        JsonObject totals = Api.statsAt(instance);
        long keys = totals.getJsonObject("storage").getJsonNumber("key_rows").longValue();
        // H2 counts exactly; PostgreSQL's planner estimate may still be 0 on a table this new.
        assertTrue(ItDatabase.isPostgres() || keys >= 1, "the key is remembered: " + totals);
        assertEquals(number(totals, "received"), number(totals, "unique_processed")
                + number(totals, "duplicate_dropped") + number(totals, "pending") + number(totals, "dead_lettered"),
                "the counters add up: " + totals);
    }

    /** Past {@code DEDUP_RETENTION} (20 s) the key is forgotten too: 404, and a resend is a new event. */
    @Test
    void aKeyPastTheDeduplicationRetentionIsForgotten() {
        String topic = freshTopic("retention-forget");
        publish(event(topic, "a", "{\"v\":1}"));

        Reply forgotten = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> Api.getFrom(instance, path(topic, "a")), reply -> reply.status() == 404);
        assertTrue(forgotten.json().getString("type").endsWith(":event-not-found"), forgotten.brief());
        Reply resend = publish(event(topic, "a", "{\"v\":2}"));
        assertEquals("stored", resend.array("results").getJsonObject(0).getString("status"),
                "a forgotten key is new again: " + resend.brief());
    }

    @Test
    void aReaderFollowingTheFeedGoesOnPastExpiredEvents() {
        String topic = freshTopic("retention-feed");
        publish("[" + event(topic, "a1", "{}") + "," + event(topic, "a2", "{}") + "," + event(topic, "a3", "{}")
                + "]");
        JsonObject first = Api.getFrom(instance, "/events?limit=2&topic=" + Api.encode(topic)).json();
        assertEquals(List.of("a1", "a2"), ids(first));
        String next = first.getString("next");

        await().atMost(EXPIRY).pollInterval(Duration.ofMillis(250))
                .until(() -> Api.getFrom(instance, path(topic, "a3")).status() == 410);
        publish("[" + event(topic, "b1", "{}") + "," + event(topic, "b2", "{}") + "]");

        Reply after = Api.getFrom(instance, "/events?limit=10&topic=" + Api.encode(topic) + "&after="
                + Api.encode(next));
        assertEquals(200, after.status(), after.brief());
        assertEquals(List.of("b1", "b2"), ids(after.json()), "a3 expired unread; the cursor still goes on");
    }

    private static Reply publish(String body) {
        Reply reply = Api.publishTo(instance, body, false);
        assertEquals(200, reply.status(), reply.brief());
        return reply;
    }

    private static List<String> ids(JsonObject page) {
        return page.getJsonArray("events").stream().map(JsonValue::asJsonObject)
                .map(event -> event.getString("event_id")).toList();
    }

    private static long number(JsonObject object, String name) {
        return object.getJsonNumber(name).longValue();
    }

    private static String path(String topic, String id) {
        return "/events/" + Api.encode(topic) + "/" + Api.encode(id);
    }
}
