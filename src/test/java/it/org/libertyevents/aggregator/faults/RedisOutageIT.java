package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.OwnRedis;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis killed (kill -9) and restarted during publishing, on a Redis of the test's own that keeps an append-only
 * file synced on every write: asynchronous publishes get 503 with Retry-After while it is down, the synchronous
 * path keeps working, readiness goes DOWN and back UP, and every event that got 202 is stored, without restarting
 * the aggregator.
 */
@MicroShedTest
class RedisOutageIT {

    private static final int INSTANCE = 3;
    private static final int REDIS_PORT = 6391;
    private static final int BATCH = 100;

    private static OwnRedis redis;
    private static String instance;
    private static String topic;
    private static int nextId;
    private static long accepted;

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
        instance = Instances.start(INSTANCE, Map.of("REDIS_URL", "redis://127.0.0.1:" + REDIS_PORT,
                "BROKER_STREAM", "it-outage-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void acceptedEventsSurviveARedisCrashAndPublishingResumesByItself() {
        topic = Api.freshTopic("redis-outage");
        for (int i = 0; i < 20; i++) {
            assertEquals(202, publishAsync().status());
        }

        redis.kill();
        Reply refused = publishAsync();
        assertEquals(503, refused.status(), refused.brief());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals("application/problem+json", refused.contentType());
        for (int i = 0; i < 10; i++) {
            assertEquals(503, publishAsync().status(), "nothing is accepted while Redis is down");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Api.getFrom(instance, "/health/ready").status() == 503);
        assertTrue(Api.getFrom(instance, "/health/ready").body().toString().contains("\"broker\""));
        Reply synchronous = Api.publishTo(instance, batch(), false);
        assertEquals(200, synchronous.status(), "the synchronous path does not need Redis");
        accepted += BATCH;

        redis.restart();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> publishAsync().status() == 202);
        for (int i = 0; i < 20; i++) {
            assertEquals(202, publishAsync().status());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Api.getFrom(instance, "/health/ready").status() == 200);

        Api.awaitDrained(instance, Duration.ofSeconds(120));
        assertArrayEquals(new long[] {accepted, accepted}, ItDatabase.rows(topic),
                "every event that got 202 or 200 is stored once, none that got 503");
        assertArrayEquals(new long[] {accepted, 0}, Api.topicCounts(topic));
    }

    /** Publishes a batch of new ids asynchronously and counts it when it got 202. */
    private static Reply publishAsync() {
        Reply reply = Api.publishTo(instance, batch(), true);
        if (reply.status() == 202) {
            accepted += BATCH;
        }
        return reply;
    }

    private static String batch() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (int i = 0; i < BATCH; i++) {
            array.add(Api.event(topic, "e" + nextId++));
        }
        return array.build().toString();
    }
}
