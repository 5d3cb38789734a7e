package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Instant;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /stats adds up: received = unique_processed + duplicate_dropped + conflict_dropped + pending + dead_lettered,
 * globally and per publish.
 */
@MicroShedTest
class StatsIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void countersMoveExactlyByWhatWasPublished() {
        JsonObject before = Api.stats();
        String topic = freshTopic("stats");
        Api.publish(Api.batch(event(topic, "1"), event(topic, "2"), event(topic, "1")));
        Api.publish(Api.batch(event(topic, "2"), event(topic, "3")));
        JsonObject after = Api.stats();

        assertEquals(5, delta(before, after, "received"));
        assertEquals(3, delta(before, after, "unique_processed"));
        assertEquals(2, delta(before, after, "duplicate_dropped"));
        Api.assertAddsUp(after);
        assertEquals(before.getInt("topic_count") + 1, after.getInt("topic_count"));
    }

    @Test
    void describesTheRunningInstance() {
        JsonObject stats = Api.stats();
        Api.assertAddsUp(stats);
        assertEquals(stats.getJsonArray("topics").size(), stats.getInt("topic_count"));
        assertTrue(Instant.parse(stats.getString("started_at")).isBefore(Instant.now()));
        assertTrue(stats.getJsonNumber("uptime_seconds").longValue() >= 0);
    }

    private static long delta(JsonObject before, JsonObject after, String counter) {
        return after.getJsonNumber(counter).longValue() - before.getJsonNumber(counter).longValue();
    }
}
