package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.SseReader;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances share PostgreSQL and the Redis consumer group: overlapping event sets published to both at once,
 * synchronously and asynchronously, end up stored exactly once, and both instances report the same totals. A long
 * poll and a live stream on one instance see what the other commits.
 */
@MicroShedTest
class TwoInstancesIT {

    private static final int BATCH = 200;
    private static String first;
    private static String second;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        first = Api.baseUrl();
        // Same database, Redis and stream as the build's server: a second replica of it.
        // A heartbeat a second: a closed stream's place is freed at once, not 15 s later (or at the stop's quiesce).
        second = Instances.start(1, Map.of("EVENTS_STREAM_HEARTBEAT", "PT1S"));
    }

    @AfterAll
    static void stop() {
        Instances.stop(1);
    }

    @Test
    void overlappingPublishesToBothInstancesStoreEachEventOnce() throws Exception {
        String topic = Api.freshTopic("two-instances");
        Ledger ledger = new Ledger();
        // Ids 0..11999 in all; every id is published two or three times across the four clients.
        List<CompletableFuture<Void>> clients = List.of(
                client(ledger, first, topic, 0, 6_000, false),
                client(ledger, second, topic, 3_000, 9_000, true),
                client(ledger, second, topic, 6_000, 12_000, false),
                client(ledger, first, topic, 0, 12_000, true));
        for (CompletableFuture<Void> client : clients) {
            client.get();
        }

        JsonObject atFirst = Api.awaitDrained(first, Duration.ofSeconds(120));
        JsonObject atSecond = Api.awaitDrained(second, Duration.ofSeconds(120));
        assertEquals(12_000, ledger.distinct(topic));
        ledger.assertMatches(first);
        for (String counter : List.of("unique_processed", "duplicate_dropped", "received", "topic_count")) {
            assertEquals(atFirst.getJsonNumber(counter).longValue(), atSecond.getJsonNumber(counter).longValue(),
                    counter + " differs between the instances");
        }
    }

    /** A long poll on one instance is answered by a commit on the other: it watches the database, not itself. */
    @Test
    void aLongPollOnOneInstanceSeesAnEventCommittedOnTheOther() throws Exception {
        String topic = Api.freshTopic("two-instances-wait");
        String feed = "/events?topic=" + Api.encode(topic);
        String end = Api.getFrom(second, feed).json().getString("cursor");
        CompletableFuture<Reply> read = Api.getAsyncFrom(second, feed + "&after=" + end + "&wait=30s");
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting(second) > 0 || read.isDone());
        assertFalse(read.isDone(), "nothing was there to read yet");

        long published = System.nanoTime();
        assertEquals(200, Api.publishTo(first, Api.batch(Api.event(topic, "from-first")), false).status());
        Reply page = read.get(20, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - published) / 1e9;

        assertEquals(200, page.status(), page.brief());
        assertEquals(1, page.array("events").size(), page.brief());
        assertEquals("from-first", page.array("events").getJsonObject(0).getString("event_id"));
        assertTrue(seconds < 10, "answered " + seconds + " s after the commit on the other instance");
    }

    /** A live stream on one instance gets the events committed on the other, in the order published. */
    @Test
    void aStreamOnOneInstanceSeesEventsCommittedOnTheOther() {
        String topic = Api.freshTopic("two-instances-stream");
        try (SseReader stream = SseReader.open(second, "/events/stream?from=now&topic=" + Api.encode(topic),
                Map.of())) {
            assertEquals(200, stream.status());
            assertEquals(200, Api.publishTo(first, Api.batch(Api.event(topic, "one"), Api.event(topic, "two")),
                    false).status());
            assertEquals(200, Api.publishTo(first, Api.batch(Api.event(topic, "three")), false).status());

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SseReader.Message message = stream.next(Duration.ofSeconds(20));
                assertNotNull(message, "received " + ids + " only");
                ids.add(message.json().getString("event_id"));
            }
            assertEquals(List.of("one", "two", "three"), ids);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Api.metric(second, "aggregator_feed_streams") == 0);
    }

    private static long waiting(String base) {
        return Api.metric(base, "aggregator_feed_waiting");
    }

    private static CompletableFuture<Void> client(Ledger ledger, String base, String topic, int from, int to,
                                                  boolean async) {
        return CompletableFuture.runAsync(() -> {
            List<String> failures = new ArrayList<>();
            for (int start = from; start < to; start += BATCH) {
                Reply reply = ledger.publish(base, batch(topic, start, Math.min(to, start + BATCH)), async);
                if (reply.status() != (async ? 202 : 200)) {
                    failures.add(reply.brief());
                }
            }
            assertEquals(List.of(), failures, "publishes to " + base + (async ? " (async)" : ""));
        });
    }

    private static String batch(String topic, int from, int to) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (int id = from; id < to; id++) {
            array.add(Api.event(topic, "e" + id));
        }
        return array.build().toString();
    }
}
