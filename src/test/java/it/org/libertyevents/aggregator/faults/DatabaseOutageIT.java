package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.OwnPostgres;
import it.org.libertyevents.aggregator.support.RetryingClients;
import it.org.libertyevents.aggregator.support.Verdicts;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL stopped for about ten seconds in the middle of a run and started again, under an instance of its own
 * (a cluster of the test's own on port 5442, so the shared database is untouched): synchronous publishes get 503
 * with {@code Retry-After}, readiness goes DOWN and comes back UP without a restart of the server, and every event
 * the retrying producers had acknowledged is stored exactly once.
 */
@MicroShedTest
class DatabaseOutageIT {

    private static final int INSTANCE = 6;
    private static final int POSTGRES_PORT = 5442;
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Test
    void publishersLoseNothingWhileTheDatabaseIsDown() throws Exception {
        Api.awaitReady();
        try (OwnPostgres postgres = OwnPostgres.start(POSTGRES_PORT)) {
            String url = postgres.createDatabase("outage");
            String base = Instances.start(INSTANCE, Map.of("DB_URL", url, "DB_USER", "postgres", "DB_PASSWORD", "",
                    "BROKER_STREAM", FaultRun.stream("db-outage"), "PUBLISH_TIMEOUT_SECONDS", "5",
                    "SCHEMA_RETRY_SECONDS", "1"));
            try {
                RetryingClients sync = FaultRun.producers(List.of(base), "db-outage", false);
                RetryingClients async = FaultRun.producers(List.of(base), "db-outage", true);
                RetryingClients.Running syncRun = sync.start(2, FaultRun.DEADLINE);
                RetryingClients.Running asyncRun = async.start(1, FaultRun.DEADLINE);

                FaultRun.awaitShare(sync, 0.2);
                postgres.stop();
                long stoppedAt = System.nanoTime();
                await("readiness DOWN").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> FaultRun.readiness(base) == 503);
                // The driver's message names host, port and user; readiness answers anyone, so it says less.
                String readiness = Api.getFrom(base, "/health/ready").body().toString();
                for (String secret : List.of("127.0.0.1", Integer.toString(POSTGRES_PORT), "postgres", "refused")) {
                    assertFalse(readiness.contains(secret), "readiness tells anyone " + secret + ": " + readiness);
                }
                await("a synchronous publish refused with 503").atMost(Duration.ofSeconds(30))
                        .until(() -> sync.failures().getOrDefault("503", 0L) > 0);
                FaultRun.awaitDownThroughout(base, stoppedAt, OUTAGE);
                postgres.start();
                Duration down = Duration.ofNanos(System.nanoTime() - stoppedAt);
                await("readiness UP again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> FaultRun.readiness(base) == 200);

                syncRun.await();
                asyncRun.await();
                Api.awaitDrained(base, Duration.ofSeconds(180));
                assertTrue(sync.firstRetryAfter().orElse(0L) >= 1, "a 503 names when to retry");
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("down (s)", down.toSeconds());
                extra.put("failed attempts", sync.failures() + " sync, " + async.failures() + " async");
                extra.put("readiness", "DOWN, then UP");
                Verdicts.exactlyOnce("database outage (PostgreSQL stopped mid-run, sync + async)",
                        List.of(sync, async), List.of(ItDatabase.rows(url, sync.topic()),
                                ItDatabase.rows(url, async.topic())), extra);
            } finally {
                Instances.stop(INSTANCE);
            }
        }
    }
}
