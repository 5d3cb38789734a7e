package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.ItRedis;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.Verdicts;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A consumer that stalls between reading an entry and committing it, for longer than the reclaim idle time: another
 * instance takes the entry over, commits and acknowledges it, and maintenance trims the stream and prunes the
 * entry's receipt. When the stalled consumer resumes it must not count the entry's events again.
 *
 * <p>The stall is made deterministic: the stalled instance has a pool of one database connection, held by a
 * synchronous publish waiting on a counter row this test locks, so its consumer waits for a connection after its
 * read; the instance is then SIGSTOPped (a GC pause or a stopped VM look the same from outside).
 */
@MicroShedTest
class StalledConsumerIT {

    private static final int STALLED = 18;
    private static final int TAKER = 19;
    private static final int EVENTS = 10;
    private static final String STREAM = FaultRun.stream("stalled");
    private static final Map<String, String> ENV = Map.of("BROKER_STREAM", STREAM,
            "BROKER_PARTITIONS", "1", "BROKER_CONSUMERS", "1",
            "BROKER_RECLAIM_IDLE_SECONDS", "2", "BROKER_MAINTENANCE_SECONDS", "1");

    private static String stalled;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        Map<String, String> env = new HashMap<>(ENV);
        env.put("DB_POOL_MAX", "1");
        stalled = Instances.start(STALLED, env);
    }

    @AfterAll
    static void stop() {
        try {
            Instances.resume(STALLED);
        } catch (RuntimeException notRunning) {
            // It was not paused, or is gone: stopping it below is all that is left to do.
        }
        Instances.stop(TAKER);
        Instances.stop(STALLED);
    }

    @Test
    void aConsumerThatResumesAfterItsEntryWasTakenOverCountsNothing() throws Exception {
        String blocker = Api.freshTopic("stalled-blocker");
        String topic = Api.freshTopic("stalled");
        Ledger ledger = new Ledger();
        assertEquals(200, Api.publishTo(stalled, Api.batch(Api.event(blocker, "b0")), false).status());

        CompletableFuture<Reply> heldSync;
        try (AutoCloseable counterLocked = ItDatabase.lockCounterRow(blocker)) {
            // The instance's only connection: a synchronous commit waiting on the counter row.
            heldSync = CompletableFuture.supplyAsync(
                    () -> Api.publishTo(stalled, Api.batch(Api.event(blocker, "b1")), false));
            await().atMost(Duration.ofSeconds(30)).until(() -> ItDatabase.waitingFor("INSERT INTO topic_stats") == 1);
            // The entry: read by the instance's consumer, which then waits for a connection.
            assertEquals(202, ledger.publish(stalled, batch(topic, 0), true).status());
            await().atMost(Duration.ofSeconds(30)).until(() -> ItRedis.unacknowledged(ItRedis.url(), STREAM) == 1);
            Instances.pause(STALLED);
        }

        // Another instance takes the entry over; a second entry moves the stream on, so the first one is trimmed
        // and its receipt pruned.
        String taker = Instances.start(TAKER, ENV);
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.topicCounts(topic)[0] == EVENTS);
        assertEquals(202, ledger.publish(taker, batch(topic, EVENTS), true).status());
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.topicCounts(topic)[0] == 2 * EVENTS
                && ItRedis.unacknowledged(ItRedis.url(), STREAM) == 0 && receipts() == 1);
        Instances.stop(TAKER);

        // The stalled consumer resumes with the entry in hand; once it has read a third entry, it is past the first.
        Instances.resume(STALLED);
        heldSync.handle((reply, failure) -> reply).join();
        assertEquals(202, ledger.publish(stalled, batch(topic, 2 * EVENTS), true).status());
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.topicCounts(topic)[0] >= 3 * EVENTS);

        Ledger.Counters counted = Ledger.Counters.at(Api.baseUrl(), topic);
        long[] rows = ItDatabase.rows(topic);
        Ledger.Check check = ledger.check(topic, counted, rows);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sent and acknowledged", ledger.acknowledgedEvents(topic));
        figures.put("stored", rows[0]);
        figures.put("unique counted", counted.unique());
        figures.put("duplicates counted", counted.duplicates());
        figures.put("duplicates sent", ledger.acknowledgedEvents(topic) - ledger.distinct(topic));
        figures.putAll(Verdicts.ledgerFigures(List.of(check)));
        Verdicts.record("stalled consumer", "postgres", figures);
        assertEquals(3 * EVENTS, ledger.distinct(topic), "each of the 30 events was sent once");
        check.assertMatches();
    }

    private static String batch(String topic, int first) {
        return Api.batch(IntStream.range(first, first + EVENTS).mapToObj(n -> Api.event(topic, "e" + n))
                .toArray(JsonObject[]::new));
    }

    /** Receipts of the test's stream left in the database. */
    private static long receipts() {
        return ItDatabase.count("SELECT count(*) FROM broker_receipts WHERE stream = ?",
                ItRedis.partition(STREAM, 0));
    }
}
