package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.PublisherRuns;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Asynchronous publish through the Redis Streams broker, on the PostgreSQL test server (REDIS_URL set): 202 only
 * once Redis has the events, the same validation as the synchronous path, and an exact drain into the database.
 */
@MicroShedTest
class AsyncPublishIT {

    private static String base;

    @BeforeAll
    static void ready() {
        Api.awaitReady();
        base = Api.baseUrl();
    }

    @Test
    void answers202WithTheCountOnceRedisHasTheEvents() {
        String topic = freshTopic("async-one");
        Ledger ledger = new Ledger();
        Reply reply = ledger.publish(base, Api.batch(event(topic, "1"), event(topic, "2"), event(topic, "1")), true);

        assertEquals(202, reply.status(), reply.brief());
        assertEquals(3, reply.json().getInt("accepted"));
        assertEquals("respond-async", reply.headers().firstValue("Preference-Applied").orElse(""));
        Api.awaitDrained(base, Duration.ofSeconds(30));
        ledger.assertMatches(base);
    }

    @Test
    void withoutThePreferenceThePublishStaysSynchronous() {
        String topic = freshTopic("async-not-asked");
        Ledger ledger = new Ledger();
        Reply reply = ledger.publish(base, Api.batch(event(topic, "1")), false);

        assertEquals(200, reply.status());
        assertFalse(reply.headers().firstValue("Preference-Applied").isPresent());
        // Committed before the answer: counted and stored at once.
        ledger.assertMatches(base);
    }

    @Test
    void invalidInputIsRefusedWholeAndNothingIsQueued() {
        JsonObject before = Api.statsAt(base);
        String topic = freshTopic("async-invalid");
        String oneBad = "[" + event(topic, "1") + ",{\"topic\":\"" + topic + "\",\"event_id\":\"2\"}]";
        Ledger ledger = new Ledger();
        Reply reply = ledger.publish(base, oneBad, true);

        assertEquals(422, reply.status());
        assertEquals("application/problem+json", reply.contentType());
        assertEquals(1, reply.array("errors").getJsonObject(0).getInt("index"));
        JsonObject after = Api.statsAt(base);
        assertEquals(before.getJsonNumber("received").longValue(), after.getJsonNumber("received").longValue());
        // A refusal counts for nothing in the ledger: no counters, no rows.
        ledger.assertMatches(base, topic);
    }

    @Test
    void twentyThousandEventsWithOneFifthDuplicatesDrainToExactlySixteenThousand() throws Exception {
        JsonObject before = Api.awaitDrained(base, Duration.ofSeconds(60));
        String topic = freshTopic("async-20k");
        int batch = 500;
        Ledger ledger = new Ledger();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int first = 0; first < 20_000; first += batch) {
                String body = Api.batchWithDuplicates(topic, "e", first, batch);
                replies.add(CompletableFuture.supplyAsync(() -> ledger.publish(base, body, true), clients));
            }
            for (CompletableFuture<Reply> reply : replies) {
                assertEquals(202, reply.get().status(), reply.get().brief());
                assertEquals(batch, reply.get().json().getInt("accepted"));
            }
        } finally {
            clients.shutdown();
        }

        JsonObject after = Api.awaitDrained(base, Duration.ofSeconds(120));
        assertEquals(16_000, ledger.distinct(topic));
        ledger.assertMatches(base);
        assertEquals(ledger.acknowledgedEvents(topic), delta(before, after, "received"));
        assertEquals(ledger.expected(topic).unique().min(), delta(before, after, "unique_processed"));
        assertEquals(ledger.expected(topic).duplicates().min(), delta(before, after, "duplicate_dropped"));
        assertEquals(0, after.getJsonNumber("dead_lettered").longValue());
        assertTrue(after.getJsonObject("broker").getBoolean("enabled"));
        assertEquals(0, after.getJsonObject("broker").getJsonNumber("backlog").longValue());
    }

    @Test
    void aPublisherRunInAsyncModeTakesEffectExactlyOnce() {
        JsonObject run = PublisherRuns.awaitFinished(PublisherRuns.start(Json.createObjectBuilder()
                .add("count", 20_000).add("duplicate_ratio", 0.2).add("batch_size", 250).add("concurrency", 4)
                .add("mode", "async").add("seed", 11).add("target", base).build()));

        assertEquals("succeeded", run.getString("state"), run.toString());
        JsonObject audit = run.getJsonObject("audit");
        assertTrue(audit.getBoolean("exactly_once"), audit.toString());
        assertEquals(16_000, audit.getInt("stats_unique_delta"));
        assertEquals(20_000, run.getInt("acknowledged"));
    }

    @Test
    void readinessAndMetricsCoverTheBroker() {
        Reply ready = Api.getFrom(base, "/health/ready");
        assertEquals(200, ready.status());
        assertTrue(ready.body().toString().contains("\"broker\""), ready.body().toString());

        String metrics = Api.text(base, "/metrics");
        for (String name : List.of("aggregator_broker_append_latency_seconds", "aggregator_broker_backlog",
                "aggregator_broker_consumer_lag", "aggregator_broker_pending", "aggregator_broker_reclaimed_total",
                "aggregator_broker_dead_lettered_total")) {
            assertTrue(metrics.contains(name), name + " missing from /metrics");
        }
    }

    private static long delta(JsonObject before, JsonObject after, String counter) {
        return after.getJsonNumber(counter).longValue() - before.getJsonNumber(counter).longValue();
    }
}
