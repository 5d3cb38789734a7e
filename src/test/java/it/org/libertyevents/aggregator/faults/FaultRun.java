package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.RetryingClients;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * Sizes of the fault scenarios: {@code -Dit.faults.events} events per producer run (default 20,000; the faults
 * profile sends 200,000), paced at {@code -Dit.faults.rate} events per second (default 2,000), so that each fault
 * lands in the middle of a run.
 */
final class FaultRun {

    static final int EVENTS = Integer.getInteger("it.faults.events", 20_000);
    static final int RATE = Integer.getInteger("it.faults.rate", 2_000);
    static final int BATCH = 100;
    /** Time for a run, its fault and its recovery, with room for a slow machine. */
    static final Duration DEADLINE = Duration.ofSeconds(EVENTS / RATE * 3L + 240);

    private FaultRun() {
    }

    /** A stream of a scenario's own, so that only its instances consume it. */
    static String stream(String scenario) {
        return "it-" + scenario + "-" + UUID.randomUUID();
    }

    /**
     * A scenario's producers of one publish mode: {@link #EVENTS} events in batches of {@link #BATCH}, paced at
     * {@link #RATE}, into a fresh topic named after the scenario and the mode.
     */
    static RetryingClients producers(List<String> targets, String scenario, boolean async) {
        return new RetryingClients(targets, Api.freshTopic(scenario + (async ? "-async" : "-sync")), EVENTS, BATCH,
                async).paced(RATE);
    }

    /**
     * Requires readiness at {@code base} to stay DOWN until {@code outage} has passed since {@code since}
     * ({@link System#nanoTime()}): a check that flapped UP meanwhile would send traffic to an instance that fails it.
     */
    static void awaitDownThroughout(String base, long since, Duration outage) {
        Duration left = outage.minus(Duration.ofNanos(System.nanoTime() - since));
        if (!left.isNegative()) {
            await("readiness DOWN throughout").during(left).atMost(left.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(500)).until(() -> readiness(base) == 503);
        }
    }

    /** Waits until a run has had a share of its events acknowledged, so the fault lands mid-run. */
    static void awaitShare(RetryingClients run, double share) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                .until(() -> run.acknowledged() >= run.events() * share);
    }

    /** The HTTP status of {@code /health/ready} at {@code base}, or -1 when it does not answer. */
    static int readiness(String base) {
        try {
            return Api.getFrom(base, "/health/ready").status();
        } catch (RuntimeException unreachable) {
            return -1;
        }
    }
}
