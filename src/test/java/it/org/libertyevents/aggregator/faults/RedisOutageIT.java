package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.OwnRedis;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.RetryingClients;
import it.org.libertyevents.aggregator.support.Verdicts;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis killed ({@code kill -9}) for about ten seconds in the middle of a run of retrying producers and restarted,
 * on a Redis of the test's own that keeps an append-only file synced on every write: asynchronous publishes get 503
 * with {@code Retry-After} while it is down, the synchronous path keeps acknowledging, readiness goes DOWN and back
 * UP without a restart of the aggregator, and every acknowledged event is stored exactly once.
 */
@MicroShedTest
class RedisOutageIT {

    private static final int INSTANCE = 3;
    private static final String PASSWORD = "hunter2-in-the-url";
    private static final int REDIS_PORT = 6391;
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final int PROBE_EVENTS = 10;

    private static OwnRedis redis;
    private static String instance;

    @BeforeAll
    static void start() {
        if (!OwnRedis.available()) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("redis-server must be installed in CI");
            }
            Assumptions.abort("redis-server is not installed");
        }
        Api.awaitReady();
        redis = OwnRedis.start(REDIS_PORT);
        // A password in the URL (the default user takes any while it has none): readiness must never show it.
        instance = Instances.start(INSTANCE, Map.of(
                "REDIS_URL", "redis://default:" + PASSWORD + "@127.0.0.1:" + REDIS_PORT,
                "BROKER_STREAM", FaultRun.stream("redis-outage")));
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void publishersLoseNothingWhileTheBrokerIsDown() throws Exception {
        RetryingClients sync = FaultRun.producers(List.of(instance), "redis-outage", false);
        RetryingClients async = FaultRun.producers(List.of(instance), "redis-outage", true);
        RetryingClients.Running syncRun = sync.start(2, FaultRun.DEADLINE);
        RetryingClients.Running asyncRun = async.start(2, FaultRun.DEADLINE);

        FaultRun.awaitShare(async, 0.2);
        redis.kill();
        long killedAt = System.nanoTime();
        long syncAcknowledgedAtKill = sync.acknowledged();
        await("readiness DOWN").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> FaultRun.readiness(instance) == 503);
        String readiness = Api.getFrom(instance, "/health/ready").body().toString();
        assertTrue(readiness.contains("\"broker\""), "readiness names the broker");
        for (String secret : List.of(PASSWORD, "127.0.0.1", Integer.toString(REDIS_PORT), "refused", "Exception")) {
            assertFalse(readiness.contains(secret), "readiness tells anyone " + secret + ": " + readiness);
        }
        await("an asynchronous publish refused with 503").atMost(Duration.ofSeconds(30))
                .until(() -> async.failures().getOrDefault("503", 0L) > 0);

        // Probes of their own topic, outside the producers' accounting: what the answers promise while it is down.
        String probes = Api.freshTopic("redis-outage-probe");
        Reply refused = Api.publishTo(instance, batch(probes, "refused-"), true);
        assertEquals(503, refused.status(), refused.brief());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "a 503 names when to retry");
        assertEquals("application/problem+json", refused.contentType());
        Reply synchronous = Api.publishTo(instance, batch(probes, "accepted-"), false);
        assertEquals(200, synchronous.status(), "the synchronous path does not need the broker");

        FaultRun.awaitDownThroughout(instance, killedAt, OUTAGE);
        long syncAcknowledgedWhileDown = sync.acknowledged() - syncAcknowledgedAtKill;
        redis.restart();
        Duration down = Duration.ofNanos(System.nanoTime() - killedAt);
        await("readiness UP again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> FaultRun.readiness(instance) == 200);

        syncRun.await();
        asyncRun.await();
        Api.awaitDrained(instance, Duration.ofSeconds(180));
        assertTrue(syncAcknowledgedWhileDown > 0, "synchronous publishes went on while the broker was down");
        assertArrayEquals(new long[] {PROBE_EVENTS, PROBE_EVENTS}, ItDatabase.rows(probes),
                "the probe that got 200 is stored once, the one that got 503 not at all");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("down (s)", down.toSeconds());
        extra.put("sync acknowledged while down", syncAcknowledgedWhileDown);
        extra.put("failed attempts", sync.failures() + " sync, " + async.failures() + " async");
        extra.put("readiness", "DOWN, then UP");
        Verdicts.exactlyOnce("broker outage (Redis killed mid-run, sync + async)", List.of(sync, async),
                List.of(ItDatabase.rows(sync.topic()), ItDatabase.rows(async.topic())), extra);
    }

    private static String batch(String topic, String prefix) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (int i = 0; i < PROBE_EVENTS; i++) {
            array.add(Api.event(topic, prefix + i));
        }
        return array.build().toString();
    }
}
