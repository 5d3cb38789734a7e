package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /stats counts what the clients had acknowledged: per topic against the test's {@link Ledger}, and the totals
 * over all topics move by the same; topics are paged.
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
        Ledger ledger = new Ledger();
        for (String body : List.of(Api.batch(event(topic, "1"), event(topic, "2"), event(topic, "1")),
                Api.batch(event(topic, "2"), event(topic, "3")))) {
            assertEquals(200, ledger.publish(Api.baseUrl(), body, false).status());
        }
        JsonObject after = Api.stats();

        ledger.assertMatches(Api.baseUrl());
        Ledger.Expected expected = ledger.expected(topic);
        assertEquals(ledger.acknowledgedEvents(topic), delta(before, after, "received"));
        assertEquals(expected.unique().min(), delta(before, after, "unique_processed"));
        assertEquals(expected.duplicates().min(), delta(before, after, "duplicate_dropped"));
        assertEquals(0, delta(before, after, "conflict_dropped"));
        assertEquals(before.getInt("topic_count") + 1, after.getInt("topic_count"));
    }

    @Test
    void describesTheRunningInstance() {
        JsonObject stats = Api.stats();
        assertTrue(stats.getJsonArray("topics").size() <= 100, "one page of topics by default");
        // This suite's server has no API_KEYS: /stats says that anyone can publish and read.
        assertEquals("open", stats.getJsonObject("access").getString("publishing"));
        assertEquals("open", stats.getJsonObject("access").getString("reads"));
        assertTrue(Instant.parse(stats.getString("started_at")).isBefore(Instant.now()));
        assertTrue(stats.getJsonNumber("uptime_seconds").longValue() >= 0);
    }

    @Test
    void topicsArePagedInNameOrderAndThePagesHoldEveryTopicOnce() {
        String prefix = freshTopic("paged");
        Ledger ledger = new Ledger();
        for (int i = 0; i < 5; i++) {
            assertEquals(200, ledger.publish(Api.baseUrl(), Api.batch(event(prefix + "-" + i, "1")), false).status());
        }
        ledger.assertMatches(Api.baseUrl());
        JsonObject first = Api.stats("?topics_limit=3");
        List<String> names = new ArrayList<>();
        for (JsonObject page = first; ; page = Api.stats("?topics_limit=3&topics_after="
                + Api.encode(page.getString("topics_next")))) {
            assertTrue(page.getJsonArray("topics").size() <= 3);
            page.getJsonArray("topics").forEach(topic -> names.add(topic.asJsonObject().getString("name")));
            if (page.isNull("topics_next")) {
                break;
            }
            assertTrue(names.size() <= first.getInt("topic_count"), "the pages end");
        }
        assertEquals(first.getInt("topic_count"), names.size(), "every topic once: " + names);
        assertEquals(names.stream().sorted().distinct().toList(), names, "in name order, none repeated");
        assertTrue(names.containsAll(IntStream.range(0, 5).mapToObj(i -> prefix + "-" + i).toList()));

        JsonObject one = Api.topicStats(prefix + "-2");
        assertEquals(1, one.getJsonArray("topics").size());
        assertEquals(prefix + "-2", one.getJsonArray("topics").getJsonObject(0).getString("name"));
        assertEquals(first.getJsonNumber("received"), one.getJsonNumber("received"), "the totals cover all topics");
        assertEquals(400, Api.get("/stats?topics_limit=0").status());
        assertEquals(400, Api.get("/stats?topics_limit=1001").status());
    }

    private static long delta(JsonObject before, JsonObject after, String counter) {
        return after.getJsonNumber(counter).longValue() - before.getJsonNumber(counter).longValue();
    }
}
