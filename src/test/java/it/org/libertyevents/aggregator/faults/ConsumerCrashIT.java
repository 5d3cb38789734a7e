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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of an instance while its consumers hold delivered, unacknowledged entries (their transactions waiting on a
 * database lock the test holds): once the instance runs again, those entries are reclaimed, and every accepted
 * event is stored exactly once and counted as the test's ledger says.
 */
@MicroShedTest
class ConsumerCrashIT {

    private static final int INSTANCE = 2;
    private static final String STREAM = "it-crash-" + UUID.randomUUID();
    /** A stream of its own, so that only this test's instance consumes it. */
    private static final Map<String, String> ENV = Map.of("BROKER_STREAM", STREAM);

    private static String victim;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        victim = Instances.start(INSTANCE, ENV);
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    @Test
    void entriesAConsumerHeldWhenItsProcessDiedAreStoredExactlyOnce() throws Exception {
        String topic = Api.freshTopic("crash");
        int batch = 5_000;
        int total = 100_000;
        Ledger ledger = new Ledger();
        // The consumers' transactions wait on this lock: they hold their delivered entries when the process dies.
        AutoCloseable commitsBlocked = ItDatabase.blockBrokerCommits();
        try {
            for (int first = 0; first < total; first += batch) {
                Reply reply = ledger.publish(victim, Api.batchWithDuplicates(topic, "e", first, batch), true);
                assertEquals(202, reply.status(), reply.brief());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ItRedis.unacknowledged(ItRedis.url(), STREAM) > 0);
            Instances.kill(INSTANCE);
        } finally {
            commitsBlocked.close();
        }

        long held = ItRedis.unacknowledged(ItRedis.url(), STREAM);
        assertTrue(held > 0, "the consumer died holding delivered, unacknowledged entries");

        Instances.start(INSTANCE, ENV);
        JsonObject stats = Api.awaitDrained(victim, Duration.ofSeconds(180));
        long[] rows = ItDatabase.rows(topic);
        Ledger.Check check = ledger.check(topic, Ledger.Counters.at(victim, topic), rows);
        assertEquals(80_000, ledger.distinct(topic));
        assertEquals(0, stats.getJsonNumber("dead_lettered").longValue());
        assertEquals(0, ItRedis.unacknowledged(ItRedis.url(), STREAM));
        String metrics = Api.text(victim, "/metrics");
        assertTrue(metrics.matches("(?s).*aggregator_broker_reclaimed_total(\\{[^}]*})? [1-9].*"),
                "the restarted instance took over the dead consumer's entries");

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("acknowledged", ledger.acknowledgedEvents(topic));
        figures.put("stored", rows[0]);
        figures.put("duplicates sent", total - ledger.distinct(topic));
        figures.putAll(Verdicts.ledgerFigures(List.of(check)));
        figures.put("entries held at the kill", held);
        figures.put("dead letters", stats.getJsonNumber("dead_lettered").longValue());
        Verdicts.record("consumer crash (kill -9 while consumers hold entries)", "postgres", figures);
        check.assertMatches();
    }
}
