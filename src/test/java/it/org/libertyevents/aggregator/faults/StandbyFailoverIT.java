package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.RetryingClients;
import it.org.libertyevents.aggregator.support.StandbyPair;
import it.org.libertyevents.aggregator.support.Verdicts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.microshed.testing.jupiter.MicroShedTest;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances (22 and 23) on a PostgreSQL primary with a synchronous standby of the test's own
 * ({@link StandbyPair}), through a multi-host {@code DB_URL} with {@code targetServerType=primary}, under mixed
 * synchronous and asynchronous load with 20% duplicates ({@link FaultRun} sizes). In order: the primary's postmaster
 * killed and the standby promoted; the old primary back as a standby ({@code pg_rewind}), never written to; the
 * synchronous standby killed under load; a commit waiting for the standby cancelled ({@code pg_cancel_backend}) or
 * cut off ({@code pg_terminate_backend}). Each verdict is against the producers' own ledger.
 */
@MicroShedTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandbyFailoverIT {

    private static final List<Integer> INSTANCES = List.of(22, 23);
    private static final int PUBLISH_TIMEOUT_SECONDS = 3;
    /** The bound on the time from the primary's death to the first 200. */
    private static final Duration FIRST_200_BOUND = Duration.ofSeconds(15);
    private static final Duration STANDBY_OUTAGE = Duration.ofSeconds(6);

    private static StandbyPair pair;
    private static List<String> bases;
    private final Probe keyedAsync = new Probe("pg-standby-loss-keyed-async");

    @BeforeAll
    static void start() {
        Api.awaitReady();
        pair = StandbyPair.start(5444, 5445);
        Map<String, String> env = Map.of("DB_URL", pair.url(), "DB_USER", "postgres", "DB_PASSWORD", "",
                "REDIS_URL", System.getProperty("it.redis.url", "redis://127.0.0.1:6379"),
                "BROKER_STREAM", FaultRun.stream("pg-failover"),
                "PUBLISH_TIMEOUT_SECONDS", Integer.toString(PUBLISH_TIMEOUT_SECONDS), "SCHEMA_RETRY_SECONDS", "1");
        try {
            CompletableFuture.allOf(INSTANCES.stream().map(n -> CompletableFuture.runAsync(() ->
                    Instances.start(n, env))).toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        bases = INSTANCES.stream().map(Instances::url).toList();
    }

    /** The database first: with it gone the instances' drains end at once instead of waiting for a standby. */
    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
        CompletableFuture.allOf(INSTANCES.stream().map(n -> CompletableFuture.runAsync(() -> {
            try {
                Instances.stop(n);
            } catch (RuntimeException e) {
                System.err.println("could not stop instance " + n + ": " + e);
            }
        })).toArray(CompletableFuture[]::new)).join();
    }

    @Test
    @Order(1)
    void primaryKilledAndStandbyPromotedLosesNothing() throws Exception {
        RetryingClients sync = FaultRun.producers(bases, "pg-failover", false);
        RetryingClients async = FaultRun.producers(bases, "pg-failover", true);
        RetryingClients.Running syncRun = sync.start(2, FaultRun.DEADLINE);
        RetryingClients.Running asyncRun = async.start(1, FaultRun.DEADLINE);
        FaultRun.awaitShare(sync, 0.3);

        AtomicLong killedAt = new AtomicLong();
        Duration promotion = pair.failOver(killedAt::set);
        Probe probe = new Probe("pg-failover-probe");
        Duration left = FIRST_200_BOUND.minus(Duration.ofNanos(System.nanoTime() - killedAt.get()));
        await("a 200 within " + FIRST_200_BOUND + " of the kill").atMost(left.isNegative() ? Duration.ZERO : left)
                .pollInterval(Duration.ofMillis(100)).until(() -> probe.publish() == 200);
        Duration first200 = Duration.ofNanos(System.nanoTime() - killedAt.get());
        System.out.printf("FAILOVER promotion %d ms, first 200 %d ms after the kill%n", promotion.toMillis(),
                first200.toMillis());

        syncRun.await();
        asyncRun.await();
        bases.forEach(base -> Api.awaitDrained(base, Duration.ofSeconds(180)));
        probe.assertMatches();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("promotion (ms)", promotion.toMillis());
        extra.put("kill to first 200 (ms)", first200.toMillis());
        extra.put("failed attempts", sync.failures() + " sync, " + async.failures() + " async");
        Verdicts.exactlyOnce("primary killed, synchronous standby promoted (sync + async)", List.of(sync, async),
                List.of(pair.rows(sync.topic()), pair.rows(async.topic())), extra);
    }

    @Test
    @Order(2)
    void oldPrimaryBackAsStandbyTakesNoWrites() {
        pair.rejoin();

        assertTrue(StandbyPair.inRecovery(pair.standby()), "the old primary runs as a standby");
        SQLException refused = assertThrows(SQLException.class, () -> {
            try (var connection = DriverManager.getConnection(pair.standby().url(StandbyPair.DATABASE), "postgres",
                    "")) {
                connection.createStatement().execute("CREATE TABLE split_brain (id int)");
            }
        });
        assertEquals("25006", refused.getSQLState(), "a write on the old primary: " + refused.getMessage());
        // Every instance still writes, through the new primary, and the old one receives those rows by replication.
        Probe probe = new Probe("pg-rejoined");
        for (String base : bases) {
            assertEquals(200, probe.publishTo(base), "publish through " + base);
        }
        await("the rows on the rejoined standby").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> StandbyPair.rows(pair.standby(), probe.topic)[0] == bases.size());
        probe.assertMatches();
    }

    @Test
    @Order(3)
    void standbyKilledUnderLoadAnswers503UntilItIsBack() throws Exception {
        RetryingClients sync = FaultRun.producers(bases, "pg-standby-loss", false);
        RetryingClients async = FaultRun.producers(bases, "pg-standby-loss", true);
        RetryingClients.Running syncRun = sync.start(2, FaultRun.DEADLINE);
        RetryingClients.Running asyncRun = async.start(1, FaultRun.DEADLINE);
        FaultRun.awaitShare(sync, 0.3);

        pair.standby().killPostmaster();
        long killed = System.nanoTime();
        Probe probe = new Probe("pg-standby-loss-probe");
        Duration took;
        long restarted;
        try {
            long sent = System.nanoTime();
            Reply answer = probe.reply(bases.get(0));
            took = Duration.ofNanos(System.nanoTime() - sent);
            assertEquals(503, answer.status(), "a publish while the standby is gone: " + answer.brief());
            assertTrue(answer.headers().firstValue("Retry-After").isPresent(), "503 with Retry-After");
            assertTrue(took.compareTo(Duration.ofSeconds(PUBLISH_TIMEOUT_SECONDS + 2)) <= 0,
                    "503 within the publish timeout, took " + took);
            for (String base : bases) {
                await("readiness DOWN at " + base).atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).until(() -> FaultRun.readiness(base) == 503);
                String readiness = Api.getFrom(base, "/health/ready").body().toString();
                assertTrue(readiness.contains("synchronous standby"), "readiness says why: " + readiness);
            }
            keyedAsyncPublishIsAnsweredWithinThePublishTimeout();
            FaultRun.awaitDownThroughout(bases.get(0), killed, STANDBY_OUTAGE);
        } finally {
            pair.standby().start();
            restarted = System.nanoTime();
        }
        pair.awaitSynchronous();
        bases.forEach(base -> await("readiness UP at " + base).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> FaultRun.readiness(base) == 200));

        syncRun.await();
        asyncRun.await();
        bases.forEach(base -> Api.awaitDrained(base, Duration.ofSeconds(180)));
        probe.assertMatches();
        keyedAsync.assertMatches();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("standby down (s)", Duration.ofNanos(restarted - killed).toSeconds());
        extra.put("503 after (ms)", took.toMillis());
        extra.put("failed attempts", sync.failures() + " sync, " + async.failures() + " async");
        Verdicts.exactlyOnce("synchronous standby killed under load (sync + async)", List.of(sync, async),
                List.of(pair.rows(sync.topic()), pair.rows(async.topic())), extra);
    }

    /**
     * An asynchronous publish with an Idempotency-Key while the standby is gone: the key's claim does not wait for
     * the standby, and recording the 202 for replay waits at most the publish timeout, so the 202 comes.
     */
    private void keyedAsyncPublishIsAnsweredWithinThePublishTimeout() {
        String body = Api.batchWithDuplicates(keyedAsync.topic, "k", 0, 10);
        long sent = System.nanoTime();
        Reply reply = keyedAsync.ledger.publish(bases.get(1), body, Map.of("Prefer", "respond-async",
                "Idempotency-Key", "\"" + keyedAsync.topic + "\""));
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        assertEquals(202, reply.status(), "a keyed asynchronous publish while the standby is gone: " + reply.brief());
        assertTrue(took.compareTo(Duration.ofSeconds(PUBLISH_TIMEOUT_SECONDS + 2)) <= 0,
                "answered within the publish timeout, took " + took);
    }

    @Test
    @Order(4)
    void cancelledStandbyWaitIsNeitherSuccessNorFailure() {
        pair.standby().killPostmaster();
        List<Unconfirmed> publishes;
        try {
            publishes = List.of(Unconfirmed.commit(pair.primary(), bases.get(0), "pg_cancel_backend", false),
                    Unconfirmed.commit(pair.primary(), bases.get(1), "pg_cancel_backend", true),
                    Unconfirmed.commit(pair.primary(), bases.get(0), "pg_terminate_backend", true));
        } finally {
            pair.standby().start();
        }
        pair.awaitSynchronous();
        publishes.forEach(Unconfirmed::assertStoredOnceAndReplayed);
    }

    /** Single events of a topic of their own, each attempt a new one, recorded in a ledger. */
    private static final class Probe {
        private final String topic;
        private final Ledger ledger = new Ledger();
        private final AtomicInteger next = new AtomicInteger();

        Probe(String purpose) {
            topic = Api.freshTopic(purpose);
        }

        /** One attempt at the instances in turn: its status, or -1 when no answer came. */
        int publish() {
            return publishTo(bases.get(next.get() % bases.size()));
        }

        int publishTo(String base) {
            try {
                return reply(base).status();
            } catch (RuntimeException unanswered) {
                return -1;
            }
        }

        Reply reply(String base) {
            return ledger.publish(base, Api.batch(Api.event(topic, "p" + next.getAndIncrement())), false);
        }

        void assertMatches() {
            List<Ledger.Check> checks = List.of(ledger.check(topic, Ledger.Counters.atAny(bases, topic),
                    pair.rows(topic)));
            assertTrue(checks.get(0).matches(), checks.get(0).toString());
        }
    }
}
