package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItRedis;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.ReplyDroppingProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An asynchronous publish with an Idempotency-Key whose append reached Redis while its answer was lost on the way
 * back: the client gets 503, the key is freed, and the retry must find the request appended rather than append it
 * again (which would store its events once and count them once more as duplicates). The answer is lost by a proxy
 * between an instance of the test's own and the shared Redis that cuts the connection when Redis answers the
 * append. The oracle is the test's own requests: three distinct events, stored once, no duplicates counted.
 */
@MicroShedTest
class LostAppendAnswerIT {

    private static final int INSTANCE = 21;
    private static ReplyDroppingProxy proxy;
    private static String instance;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        proxy = ReplyDroppingProxy.to(URI.create(ItRedis.url()).getPort());
        instance = Instances.start(INSTANCE, Map.of("REDIS_URL", proxy.url(),
                "BROKER_STREAM", ItRedis.stream() + "-lost-answer"));
    }

    @AfterAll
    static void stop() throws Exception {
        Instances.stop(INSTANCE);
        proxy.close();
    }

    @Test
    void aRetryAfterALostAnswerIsReplayedAndNotAppendedAgain() {
        String topic = freshTopic("lost-append-answer");
        String body = body(topic);
        Map<String, String> headers = keyed(UUID.randomUUID().toString());

        Reply first = answerLost(topic, body, headers);
        Reply retry = Api.publishWithHeadersTo(instance, "application/json", body, headers);
        assertEquals(202, retry.status(), retry.brief());
        assertEquals(3, retry.json().getInt("accepted"));
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""),
                "the request was appended by the attempt that got " + first.status() + ": " + retry.brief());
        Reply again = Api.publishWithHeadersTo(instance, "application/json", body, headers);
        assertEquals(retry.body(), again.body(), "the key keeps the answer: " + again.brief());

        Api.awaitDrained(instance, Duration.ofSeconds(30));
        assertArrayEquals(new long[] {3, 0}, Api.topicCounts(topic), "appended once: stored once, nothing recounted");
    }

    @Test
    void anotherRequestUnderTheKeyOfALostAnswerIsRefusedAndTheFirstStillReplays() {
        String topic = freshTopic("lost-append-reused");
        String body = body(topic);
        Map<String, String> headers = keyed(UUID.randomUUID().toString());

        answerLost(topic, body, headers);
        String other = Api.batch(event(topic, "other"));
        Reply reused = Api.publishWithHeadersTo(instance, "application/json", other, headers);
        assertEquals(422, reused.status(), "the key belongs to the request already appended: " + reused.brief());
        Reply retry = Api.publishWithHeadersTo(instance, "application/json", body, headers);
        assertEquals(202, retry.status(), retry.brief());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""), retry.brief());

        Api.awaitDrained(instance, Duration.ofSeconds(30));
        assertArrayEquals(new long[] {3, 0}, Api.topicCounts(topic), "only the first request's events, once");
    }

    /** Publishes {@code body} with its answer from Redis lost: a 503 with Retry-After, the append done. */
    private static Reply answerLost(String topic, String body, Map<String, String> headers) {
        int droppedBefore = proxy.dropped();
        proxy.dropReplyTo(topic);
        Reply first = Api.publishWithHeadersTo(instance, "application/json", body, headers);
        assertEquals(droppedBefore + 1, proxy.dropped(), "Redis's answer to the append was lost");
        assertEquals(503, first.status(), first.brief());
        assertTrue(first.headers().firstValue("Retry-After").isPresent(), first.brief());
        return first;
    }

    private static Map<String, String> keyed(String key) {
        return Map.of("Idempotency-Key", "\"" + key + "\"", "Prefer", "respond-async");
    }

    private static String body(String topic) {
        return Api.batch(event(topic, "1"), event(topic, "2"), event(topic, "3"));
    }
}
