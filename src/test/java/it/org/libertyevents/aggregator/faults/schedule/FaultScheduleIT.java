package it.org.libertyevents.aggregator.faults.schedule;

import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.OwnPostgres;
import it.org.libertyevents.aggregator.support.OwnRedis;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seeded fault schedule: rounds of mixed synchronous and asynchronous load on two instances, each round with
 * faults drawn from its seed (kill -9 and restart of an instance, SIGSTOP past the reclaim idle time, kill -9 of
 * Redis, an immediate stop of PostgreSQL, most of a connection pool held), several per round and overlapping where
 * the seed says so. Each round is judged against the clients' own ledgers ({@link RoundVerdict}); every round runs,
 * and the test fails if any round did, naming the seed that reruns it alone.
 *
 * <p>Round {@code r} (from 0) uses seed {@code it.schedule.seed + r}; without {@code -Dit.schedule.seed} the seed
 * is drawn at random and printed first. {@code -Dit.schedule.rounds} rounds (2 in {@code verify}, 20 under
 * {@code -Pfaults}), {@code -Dit.schedule.events} events per producer at {@code -Dit.schedule.rate} events per
 * second each. PostgreSQL suite only: the instances need the shared PostgreSQL's binaries and the test's own servers.
 */
class FaultScheduleIT {

    private static final long SEED = Long.getLong("it.schedule.seed", new SecureRandom().nextInt(1 << 30));
    private static final int ROUNDS = Integer.getInteger("it.schedule.rounds", 2);
    private static final int EVENTS = Integer.getInteger("it.schedule.events", 2_000);
    private static final int RATE = Integer.getInteger("it.schedule.rate", 130);

    @Test
    void everyRoundKeepsTheClientsLedger() throws Exception {
        Assumptions.assumeTrue(ItDatabase.isPostgres(), "the schedule belongs to the PostgreSQL suite");
        requireServers();
        System.out.printf("FAULT SCHEDULE seed %d: %d rounds of 4 producers x %,d events at %d/s%n", SEED, ROUNDS,
                EVENTS, RATE);
        List<String> failed = new ArrayList<>();
        try (Cluster cluster = Cluster.start()) {
            for (int r = 0; r < ROUNDS; r++) {
                long seed = SEED + r;
                String rerun = "src/main/scripts/fault.sh schedule -Dit.schedule.seed=" + seed
                        + " -Dit.schedule.rounds=1 -Dit.schedule.events=" + EVENTS + " -Dit.schedule.rate=" + RATE;
                long start = System.nanoTime();
                List<String> problems;
                try {
                    RoundVerdict verdict = new Round(cluster, seed, EVENTS, RATE).run();
                    problems = verdict.passed() ? List.of() : verdict.details();
                } catch (Exception | AssertionError e) {
                    problems = List.of("could not be judged: " + e);
                }
                long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                if (problems.isEmpty()) {
                    System.out.printf("ROUND %d seed %d passed in %d s%n", r, seed, seconds);
                } else {
                    // One prefix for every line, so that fault.sh shows them all.
                    String failure = "ROUND " + r + " seed " + seed + " FAILED in " + seconds + " s; rerun it alone: "
                            + rerun + "; instance logs in " + keepLogs(seed) + "\nROUND " + r + "   "
                            + String.join("\nROUND " + r + "   ", problems);
                    System.out.println(failure);
                    failed.add(failure);
                }
            }
        }
        assertTrue(failed.isEmpty(), failed.size() + " of " + ROUNDS + " rounds failed:\n" + String.join("\n", failed));
    }

    /** Copies the instances' server logs as they are after a failed round, before later rounds rotate them. */
    private static Path keepLogs(long seed) throws IOException {
        Path kept = Path.of(System.getProperty("user.dir"), "target", "reliability", "schedule-" + seed);
        for (int n : Cluster.INSTANCES) {
            Path target = Files.createDirectories(kept.resolve("instance-" + n));
            try (DirectoryStream<Path> logs = Files.newDirectoryStream(Instances.logs(n), "messages*.log")) {
                for (Path log : logs) {
                    Files.copy(log, target.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return kept;
    }

    private static void requireServers() {
        String missing = !OwnRedis.available() ? "redis-server is not installed"
                : OwnPostgres.binaries() == null ? "no PostgreSQL server binaries" : null;
        if (missing != null) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(missing + " (CI must have them)");
            }
            Assumptions.abort(missing);
        }
    }
}
