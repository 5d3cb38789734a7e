package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.OwnPostgres;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.StandbyPair;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publish, with or without an {@code Idempotency-Key}, whose events' commit waits for a synchronous standby that is
 * gone, and is then ended from outside: {@code pg_cancel_backend} (PostgreSQL commits locally and warns "canceling
 * wait for synchronous replication") or {@code pg_terminate_backend} (it commits locally and cuts the connection:
 * the client cannot know). The answer must be a 503 with {@code Retry-After}, never a 200; once the standby is back
 * the rows must be there once, the key's retry a replay and a retry without the key all duplicates.
 */
final class Unconfirmed {

    /** Five events, the fifth a true duplicate of the fourth: four distinct ids. */
    private static final int EVENTS = 5;
    private static final int DISTINCT = 4;
    /** A waiting commit whose transaction wrote events (the claim of a key writes only idempotency_keys). */
    private static final String EVENTS_COMMIT = "SELECT a.pid FROM pg_stat_activity a WHERE a.wait_event = 'SyncRep' "
            + "AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'events'::regclass)";

    private final OwnPostgres primary;
    private final String base;
    private final String topic;
    private final String body;
    private final Map<String, String> key;
    private final String how;

    private Unconfirmed(OwnPostgres primary, String base, String how, boolean keyed) {
        this.primary = primary;
        this.base = base;
        this.how = how + (keyed ? " (with an Idempotency-Key)" : "");
        this.topic = Api.freshTopic("pg-unconfirmed");
        this.body = Api.batchWithDuplicates(topic, "u", 0, EVENTS);
        this.key = keyed ? Map.of("Idempotency-Key", "\"" + UUID.randomUUID() + "\"") : Map.of();
    }

    /**
     * Publishes through {@code base} while the primary's standby is down, ends the events' commit with
     * {@code function} ({@code pg_cancel_backend} or {@code pg_terminate_backend}) and checks the answer.
     */
    static Unconfirmed commit(OwnPostgres primary, String base, String function, boolean keyed) {
        Unconfirmed publish = new Unconfirmed(primary, base, function, keyed);
        CompletableFuture<Reply> answer = CompletableFuture.supplyAsync(() -> Api.publishWithHeadersTo(base,
                "application/json", publish.body, publish.key));
        await(publish.how + ": the events' commit").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    for (String pid : StandbyPair.query(primary, EVENTS_COMMIT)) {
                        StandbyPair.query(primary, "SELECT " + function + "(" + pid + ")");
                    }
                    return answer.isDone();
                });
        Reply reply = answer.orTimeout(1, TimeUnit.SECONDS).join();
        assertEquals(503, reply.status(), publish.how + " of a commit waiting for the standby: " + reply.brief());
        assertTrue(reply.headers().firstValue("Retry-After").isPresent(), "503 with Retry-After: " + reply.brief());
        return publish;
    }

    /** Once the standby is back: stored once, the key's retry replayed, a plain retry counted as duplicates. */
    void assertStoredOnceAndReplayed() {
        assertArrayEquals(new long[] {DISTINCT, DISTINCT}, StandbyPair.rows(primary, topic),
                "rows and distinct ids after " + how + ": the commit took effect locally");
        if (!key.isEmpty()) {
            Reply replay = Api.publishWithHeadersTo(base, "application/json", body, key);
            assertEquals(200, replay.status(), "the key's retry after " + how + ": " + replay.brief());
            assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""),
                    "the key's retry replays the committed answer, it does not run afresh: " + replay.brief());
        }
        Reply plain = Api.publishTo(base, body, false);
        assertEquals(200, plain.status(), "a retry without the key: " + plain.brief());
        Ledger.Counters counted = Ledger.Counters.at(base, topic);
        assertEquals(new Ledger.Counters(DISTINCT, EVENTS - DISTINCT + EVENTS, 0), counted,
                "the first attempt counted once, the replay nothing, the plain retry as duplicates, after " + how);
    }
}
