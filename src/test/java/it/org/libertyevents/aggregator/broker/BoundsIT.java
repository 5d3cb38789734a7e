package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.ItRedis;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte bounds and the read timeout, on an instance of its own whose bounds are tiny: {@code GET /events} pages
 * stop at {@code EVENTS_PAGE_MAX_BYTES} and following them yields every event once; the broker backlog refuses
 * past {@code BROKER_MAX_BACKLOG_BYTES} and its byte counter returns to 0 once drained; the dead-letter stream
 * keeps {@code BROKER_DEAD_LETTER_MAX_ENTRIES} while its event counter keeps counting; a read blocked by a lock
 * answers 503 with {@code Retry-After} at {@code DB_READ_TIMEOUT_SECONDS}.
 */
@MicroShedTest
class BoundsIT {

    /** Instances 1-10 belong to other tests (7 and 8 to InstanceLossIT). */
    private static final int INSTANCE = 11;
    private static final int PAGE_MAX_BYTES = 8_192;
    private static final int BACKLOG_MAX_BYTES = 4_096;
    private static final int DEAD_LETTER_MAX_ENTRIES = 3;
    private static final String STREAM_NAME = "it-bounds-" + UUID.randomUUID();
    /** The instance's one partition: the backlog limits hold per partition. */
    private static final String STREAM = ItRedis.partition(STREAM_NAME, 0);
    private static String instance;

    @BeforeAll
    static void start() {
        // The PostgreSQL suite's alone (its package is excluded from the H2 suite, unless named with -Dit.test).
        Assumptions.assumeTrue(ItDatabase.isPostgres(), "needs PostgreSQL and Redis");
        Api.awaitReady();
        instance = Instances.start(INSTANCE, Map.of("BROKER_STREAM", STREAM_NAME, "BROKER_PARTITIONS", "1",
                "EVENTS_PAGE_MAX_BYTES", Integer.toString(PAGE_MAX_BYTES),
                "BROKER_MAX_BACKLOG_BYTES", Integer.toString(BACKLOG_MAX_BYTES),
                "BROKER_DEAD_LETTER_MAX_ENTRIES", Integer.toString(DEAD_LETTER_MAX_ENTRIES),
                "DB_READ_TIMEOUT_SECONDS", "1"));
    }

    @AfterAll
    static void stop() {
        if (instance == null) {
            return;
        }
        Instances.stop(INSTANCE);
        try (RedisClient redis = redis()) {
            redis.del(STREAM, STREAM + ":backlog", STREAM + ":backlog:bytes", STREAM + ":dead",
                    STREAM + ":dead:events");
        }
    }

    @Test
    void pagesStopAtTheByteBudgetAndTheirCursorsYieldEveryEventOnce() {
        String topic = Api.freshTopic("page-bytes");
        List<String> published = new ArrayList<>();
        JsonArrayBuilder batch = Json.createArrayBuilder();
        for (int i = 0; i < 30; i++) {
            // Event 10 alone is larger than a whole page: it still gets a page of its own.
            int size = i == 10 ? PAGE_MAX_BYTES * 2 : 1_000;
            batch.add(Json.createObjectBuilder(Api.event(topic, "e-" + i))
                    .add("payload", Json.createObjectBuilder().add("text", "x".repeat(size))));
            published.add("e-" + i);
        }
        assertEquals(200, Api.publishTo(instance, batch.build().toString(), false).status());

        List<String> seen = new ArrayList<>();
        int pages = 0;
        String after = null;
        do {
            Reply page = Api.getFrom(instance, "/events?limit=100&topic=" + Api.encode(topic)
                    + (after == null ? "" : "&after=" + after));
            assertEquals(200, page.status(), page.brief());
            List<JsonObject> events = page.array("events").getValuesAs(JsonObject.class);
            assertFalse(events.isEmpty(), "every page makes progress");
            assertTrue(events.size() == 1 || events.toString().length() < PAGE_MAX_BYTES * 2,
                    "a page of several events stays near the budget");
            events.forEach(e -> seen.add(e.getString("event_id")));
            after = page.json().isNull("next") ? null : page.json().getString("next");
            pages++;
        } while (after != null && pages < 100);

        assertEquals(published, seen, "every event once, in feed order");
        assertTrue(pages >= 30 / (PAGE_MAX_BYTES / 1_000), "pages were cut by bytes, not by limit: " + pages);
    }

    @Test
    void theBrokerBacklogRefusesPastItsBytesAndCountsThemBackOnAcknowledge() throws Exception {
        String topic = Api.freshTopic("backlog-bytes");
        // Each request alone fits in the byte limit (about 2.5 KB of entry body); the two together do not.
        String first = batch(topic, "a", 10, 100);
        String second = batch(topic, "b", 10, 100);
        try (AutoCloseable stalled = ItDatabase.blockBrokerCommits()) {
            assertEquals(202, Api.publishTo(instance, first, true).status());
            long bytes = counter(":backlog:bytes");
            assertTrue(bytes > 2_000 && bytes < BACKLOG_MAX_BYTES / 2 + 500, "the entry's body is counted: " + bytes);
            Reply refused = Api.publishTo(instance, second, true);
            assertEquals(503, refused.status(), "the backlog's bytes would pass the limit: " + refused.brief());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        }
        await("the backlog drains").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> counter(":backlog") == 0);
        assertEquals(0, counter(":backlog:bytes"), "acknowledged entries are taken off the byte counter");
        assertEquals(202, Api.publishTo(instance, second, true).status(), "there is room again");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> ItDatabase.rows(topic)[0] == 20);
        assertEquals(0, counter(":backlog:bytes"));
    }

    @Test
    void theDeadLetterStreamIsCappedWhileItsEventCounterCountsEveryEvent() {
        long deadBefore = counter(":dead:events");
        try (RedisClient redis = redis()) {
            for (int i = 0; i < 10; i++) {
                // Appended the way append.lua does, with a body no consumer can decode.
                String body = "not an entry " + i;
                redis.xadd(STREAM, StreamEntryID.NEW_ENTRY, Map.of("n", "1",
                        "bytes", Integer.toString(body.length()), "events", body));
                redis.incr(STREAM + ":backlog");
                redis.incrBy(STREAM + ":backlog:bytes", body.length());
            }
        }
        await("the consumers dead-letter every entry").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> counter(":dead:events") == deadBefore + 10);
        try (RedisClient redis = redis()) {
            assertEquals(DEAD_LETTER_MAX_ENTRIES, redis.xlen(STREAM + ":dead"), "the dead-letter stream is capped");
        }
        assertEquals(0, counter(":backlog"));
        assertEquals(0, counter(":backlog:bytes"), "dead-lettered entries are taken off the byte counter");
        JsonObject stats = Api.statsAt(instance);
        assertTrue(stats.getJsonNumber("dead_lettered").longValue() >= deadBefore + 10, stats.toString());
    }

    @Test
    void aReadBlockedPastTheReadTimeoutAnswers503WithRetryAfter() throws Exception {
        String topic = Api.freshTopic("read-timeout");
        assertEquals(200, Api.publishTo(instance, Api.batch(Api.event(topic, "1")), false).status());
        List<Reply> replies;
        long started = System.nanoTime();
        try (AutoCloseable locked = ItDatabase.blockReads("events")) {
            CompletableFuture<Reply> page = CompletableFuture.supplyAsync(
                    () -> Api.getFrom(instance, "/events?topic=" + Api.encode(topic)));
            CompletableFuture<Reply> one = CompletableFuture.supplyAsync(
                    () -> Api.getFrom(instance, "/events/" + Api.encode(topic) + "/1"));
            replies = List.of(page.get(10, TimeUnit.SECONDS), one.get(10, TimeUnit.SECONDS));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        for (Reply reply : replies) {
            assertEquals(503, reply.status(), reply.brief());
            assertEquals("application/problem+json", reply.contentType());
            assertNotNull(reply.headers().firstValue("Retry-After").orElse(null));
        }
        assertTrue(elapsedMillis < 8_000, "answered at the read timeout, not when the lock ended: " + elapsedMillis);
        assertEquals(200, Api.getFrom(instance, "/events/" + Api.encode(topic) + "/1").status(),
                "reads work again once the lock is gone");
    }

    private static String batch(String topic, String prefix, int count, int payloadChars) {
        JsonArrayBuilder events = Json.createArrayBuilder();
        for (int i = 0; i < count; i++) {
            events.add(Json.createObjectBuilder(Api.event(topic, prefix + "-" + i))
                    .add("payload", Json.createObjectBuilder().add("text", "y".repeat(payloadChars))));
        }
        return events.build().toString();
    }

    private static long counter(String suffix) {
        try (RedisClient redis = redis()) {
            String value = redis.get(STREAM + suffix);
            return value == null ? 0 : Long.parseLong(value);
        }
    }

    private static RedisClient redis() {
        return RedisClient.create(URI.create(ItRedis.url()));
    }
}
