package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idempotency-Key on POST /publish: a retry of the same request gets the first answer replayed (marked as such)
 * and is not counted again, also when its request was committed in one group with others; the key reused for
 * another request gets 422; a malformed key gets 400.
 */
@MicroShedTest
class IdempotencyIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    private static Map<String, String> key(String value) {
        return Map.of("Idempotency-Key", value);
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndCountsNothing() {
        String topic = freshTopic("idempotent");
        String body = Api.batch(event(topic, "1"), event(topic, "2"));
        String k = "\"" + UUID.randomUUID() + "\"";

        Ledger ledger = new Ledger();
        Reply first = ledger.publish(Api.baseUrl(), body, key(k));
        assertEquals(200, first.status(), first.brief());
        assertTrue(first.headers().firstValue("Idempotent-Replayed").isEmpty());
        JsonObject before = Api.stats();

        Reply retry = ledger.publish(Api.baseUrl(), body, key(k));
        assertEquals(200, retry.status());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(first.body(), retry.body(), "the first answer, verdicts included: stored, not duplicate");
        assertEquals(before.getJsonNumber("received"), Api.stats().getJsonNumber("received"),
                "a replay does not reach the pipeline");
        ledger.assertMatches(Api.baseUrl());
    }

    @Test
    void requestsWithKeysCommittedTogetherEachReplayTheirOwnAnswer() throws Exception {
        String topic = freshTopic("idempotent-group");
        int requests = 20;
        List<String> bodies = IntStream.range(0, requests)
                .mapToObj(r -> Api.batch(event(topic, r + "-a"), event(topic, r + "-b"), event(topic, "shared")))
                .toList();
        List<Map<String, String>> keys = IntStream.range(0, requests)
                .mapToObj(r -> key("\"" + UUID.randomUUID() + "\"")).toList();
        List<Reply> firsts = new ArrayList<>();
        // Sent at once, so that the writer takes several of them into one group commit.
        ExecutorService clients = Executors.newFixedThreadPool(requests);
        try {
            for (Future<Reply> answer : clients.invokeAll(IntStream.range(0, requests)
                    .mapToObj(r -> (Callable<Reply>) () -> Api.publishWithHeaders("application/json", bodies.get(r),
                            keys.get(r))).toList(), 60, TimeUnit.SECONDS)) {
                firsts.add(answer.get());
            }
        } finally {
            clients.shutdownNow();
        }

        int sharedStored = 0;
        for (int r = 0; r < requests; r++) {
            Reply first = firsts.get(r);
            assertEquals(200, first.status(), first.brief());
            int stored = first.json().getInt("stored");
            assertTrue(stored == 3 || stored == 2 && first.json().getInt("duplicates") == 1,
                    "its own two events stored, the shared one stored or a duplicate: " + first.brief());
            sharedStored += stored == 3 ? 1 : 0;
            Reply retry = Api.publishWithHeaders("application/json", bodies.get(r), keys.get(r));
            assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""), retry.brief());
            assertEquals(first.body(), retry.body(), "each key replays its own request's answer");
        }
        assertEquals(1, sharedStored, "the shared event was stored by exactly one request");
        assertArrayEquals(new long[] {2L * requests + 1, requests - 1}, Api.topicCounts(topic));
    }

    @Test
    void theSameKeyForAnotherRequestIsRefused() {
        String topic = freshTopic("idempotent-reuse");
        String k = "\"" + UUID.randomUUID() + "\"";
        Ledger ledger = new Ledger();
        assertEquals(200, ledger.publish(Api.baseUrl(), Api.batch(event(topic, "1")), key(k)).status());

        Reply other = ledger.publish(Api.baseUrl(), Api.batch(event(topic, "2")), key(k));
        assertEquals(422, other.status());
        assertEquals("urn:problem:liberty-event-aggregator:idempotency-key-reused", other.json().getString("type"));
        // The ledger counts the refused request for nothing: the second request did not run.
        ledger.assertMatches(Api.baseUrl());
    }

    @Test
    void aRefusedRequestIsReplayedTooAndABareTokenKeyWorks() {
        String k = "bare-" + UUID.randomUUID();
        Reply invalid = Api.publishWithHeaders("application/json", "{\"topic\":\"x\"}", key(k));
        assertEquals(422, invalid.status());
        Reply again = Api.publishWithHeaders("application/json", "{\"topic\":\"x\"}", key(k));
        assertEquals(422, again.status());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(invalid.body(), again.body());
    }

    @Test
    void aMalformedKeyIsABadRequest() {
        Reply reply = Api.publishWithHeaders("application/json", Api.batch(event(freshTopic("k"), "1")),
                key("\"" + "x".repeat(300) + "\""));
        assertEquals(400, reply.status());
        assertEquals("Idempotency-Key", reply.array("errors").getJsonObject(0).getString("field"));
    }
}
