package it.org.libertyevents.aggregator.postgres;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idempotency-Key after a failure between the commit and the answer, injected with database locks the test holds
 * and, on an instance of its own, a publish timeout of {@value #PUBLISH_TIMEOUT_SECONDS} s. The oracle is what the
 * test's client sent: three distinct events, which must end up stored once, with a retry of the same request
 * getting the answer they really got (every event {@code stored}), never {@code duplicate} verdicts for its own
 * events. PostgreSQL suite only: the locks are taken from outside the server.
 */
@MicroShedTest
class IdempotencyAfterFailureIT {

    private static final int INSTANCE = 17;
    private static final int PUBLISH_TIMEOUT_SECONDS = 3;
    private static final int EVENTS = 3;
    private static final String COMMIT_TIMEOUT = "urn:problem:liberty-event-aggregator:commit-timeout";
    private static String instance;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        instance = Instances.start(INSTANCE, Map.of(
                "PUBLISH_TIMEOUT_SECONDS", Integer.toString(PUBLISH_TIMEOUT_SECONDS),
                "BROKER_STREAM", System.getProperty("it.broker.stream") + "-idempotency"));
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    @Test
    void aCommitThatOutlivesItsRequestsWaitIsReplayedToTheRetry() throws Exception {
        String topic = freshTopic("idem-late-commit");
        String key = UUID.randomUUID().toString();
        Reply first;
        try (AutoCloseable stalled = ItDatabase.lockTable("topic_stats")) {
            first = publish(topic, key);
            assertEquals(503, first.status(), first.brief());
            assertEquals(COMMIT_TIMEOUT, first.json().getString("type"));
        }
        // The commit goes on once the lock is gone; until it has, the key is in flight (409).
        Reply retry = untilNotInFlight(topic, key, Duration.ofSeconds(20));
        assertEquals(200, retry.status(), retry.brief());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""), retry.brief());
        assertAllStored(retry);
        assertArrayEquals(new long[] {EVENTS, 0}, Api.topicCounts(topic), "stored once, the retry not counted");
    }

    @Test
    void aRetryWhileALateCommitIsPendingWaitsForIt() throws Exception {
        String topic = freshTopic("idem-late-pending");
        String key = UUID.randomUUID().toString();
        try (AutoCloseable stalled = ItDatabase.lockTable("topic_stats")) {
            assertEquals(COMMIT_TIMEOUT, publish(topic, key).json().getString("type"));
            Reply during = publish(topic, key);
            assertEquals(409, during.status(), "the key stays with the request whose events may still commit, "
                    + "rather than run them a second time: " + during.brief());
            assertTrue(during.headers().firstValue("Retry-After").isPresent());
        }
        assertAllStored(untilNotInFlight(topic, key, Duration.ofSeconds(20)));
        assertArrayEquals(new long[] {EVENTS, 0}, Api.topicCounts(topic));
    }

    @Test
    void aRetryThatClaimsAnAbandonedKeyRollsBackWhenTheFirstCommitAnswersIt() throws Exception {
        String topic = freshTopic("idem-abandoned");
        String key = UUID.randomUUID().toString();
        try (AutoCloseable stalled = ItDatabase.lockTable("topic_stats")) {
            assertEquals(COMMIT_TIMEOUT, publish(topic, key).json().getString("type"));
            // 409 until the key counts as abandoned (twice the timeout after its claim); then a retry claims it,
            // queues its events behind the stalled commit and times out as well.
            Reply second = untilNotInFlight(topic, key, Duration.ofSeconds(20));
            assertEquals(COMMIT_TIMEOUT, second.json().getString("type"), second.brief());
        }
        // The first commit answers the key; the retry's transaction finds it answered and rolls back.
        Reply retry = untilNotInFlight(topic, key, Duration.ofSeconds(20));
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""), retry.brief());
        assertAllStored(retry);
        assertArrayEquals(new long[] {EVENTS, 0}, Api.topicCounts(topic), "the retry's duplicates not committed");
    }

    @Test
    void aCommitThatFailsAfterItsRequestsWaitFreesTheKeyForARetry() throws Exception {
        String topic = freshTopic("idem-late-failure");
        String key = UUID.randomUUID().toString();
        try (AutoCloseable stalled = ItDatabase.lockTable("topic_stats")) {
            assertEquals(COMMIT_TIMEOUT, publish(topic, key).json().getString("type"));
            assertEquals(1, ItDatabase.cancelWaiting("INSERT INTO topic_stats"), "the stalled commit fails");
        }
        // Freed by the failed transaction itself: well before the key would count as abandoned (twice the timeout).
        Reply retry = untilNotInFlight(topic, key, Duration.ofSeconds(2));
        assertEquals(200, retry.status(), retry.brief());
        assertTrue(retry.headers().firstValue("Idempotent-Replayed").isEmpty(), "nothing committed: it runs afresh");
        assertAllStored(retry);
        assertArrayEquals(new long[] {EVENTS, 0}, Api.topicCounts(topic));
    }

    @Test
    void aFailureWritingTheKeysAnswerLeavesNoCommittedEventsBehindIt() throws Exception {
        String topic = freshTopic("idem-answer-failure");
        String key = UUID.randomUUID().toString();
        CompletableFuture<Reply> first;
        AutoCloseable answerHeld;
        try (AutoCloseable counters = ItDatabase.lockTable("topic_stats")) {
            first = CompletableFuture.supplyAsync(() -> publish(topic, key));
            // The key is claimed and the commit waits at the counters: hold the key's row before letting it go on.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ItDatabase.waitingFor("INSERT INTO topic_stats") == 1);
            answerHeld = ItDatabase.lockIdempotencyKey(key);
        }
        try (answerHeld) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ItDatabase.waitingFor("UPDATE idempotency_keys") == 1);
            assertEquals(1, ItDatabase.cancelWaiting("UPDATE idempotency_keys"), "writing the key's answer fails");
        }
        Reply answer = first.get(30, TimeUnit.SECONDS);
        Reply retry = untilNotInFlight(topic, key, Duration.ofSeconds(20));
        assertEquals(200, retry.status(), retry.brief());
        if (answer.status() == 200) {
            assertEquals(answer.body(), retry.body(), "a client that got 200 gets the same answer again");
        }
        assertAllStored(retry);
        assertArrayEquals(new long[] {EVENTS, 0}, Api.topicCounts(topic));
    }

    @Test
    void anAsynchronousPublishIsReplayedAsItsFirst202AndNotQueuedAgain() {
        String topic = freshTopic("idem-async");
        Map<String, String> headers = Map.of("Idempotency-Key", quoted(UUID.randomUUID().toString()),
                "Prefer", "respond-async");
        Reply first = Api.publishWithHeadersTo(instance, "application/json", body(topic), headers);
        assertEquals(202, first.status(), first.brief());
        Reply retry = Api.publishWithHeadersTo(instance, "application/json", body(topic), headers);
        assertEquals(202, retry.status(), retry.brief());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(first.body(), retry.body());
        Api.awaitDrained(instance, Duration.ofSeconds(30));
        assertArrayEquals(new long[] {EVENTS, 0}, Api.topicCounts(topic), "queued once, stored once");
    }

    private static String body(String topic) {
        return Api.batch(event(topic, "1"), event(topic, "2"), event(topic, "3"));
    }

    private static String quoted(String key) {
        return "\"" + key + "\"";
    }

    /** The test's one request, the same every time: its three events under {@code key}. */
    private static Reply publish(String topic, String key) {
        return Api.publishWithHeadersTo(instance, "application/json", body(topic),
                Map.of("Idempotency-Key", quoted(key)));
    }

    /** Retries the request until its key is no longer in flight (409). */
    private static Reply untilNotInFlight(String topic, String key, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> publish(topic, key), reply -> reply.status() != 409);
    }

    /** A 200 whose verdicts say that each of the request's events was stored, none a duplicate. */
    private static void assertAllStored(Reply reply) {
        assertEquals(200, reply.status(), reply.brief());
        List<String> verdicts = reply.array("results").stream()
                .map(JsonValue::asJsonObject).map(result -> result.getString("status")).toList();
        assertEquals(List.of("stored", "stored", "stored"), verdicts, reply.brief());
        JsonObject totals = reply.json();
        assertEquals(EVENTS, totals.getInt("stored"), reply.brief());
    }
}
