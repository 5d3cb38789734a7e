package org.libertyevents.bench;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * The measured scenarios against one server each. Every scenario warms the server up first (unmeasured, its own
 * events), then checks its counts exactly: the verdicts in the answers and the server's {@code /stats} deltas must
 * both equal the unique and duplicate events of the prefix of its {@link EventSet} it sent.
 */
final class Scenarios {

    /** No scenario on this machine comes near it; it only bounds a load loop in count as well as in time. */
    private static final long MAX_EVENTS_PER_SECOND = 1_000_000;
    /** Warm-up rounds at most; a round ends the warm-up unless its rate is above the best so far by this factor. */
    private static final int WARMUP_ROUNDS_MAX = 40;
    private static final double WARMUP_RISE = 1.05;

    private final BenchSettings settings;

    Scenarios(BenchSettings settings) {
        this.settings = settings;
    }

    /** Batches of {@code bench.batch.size} events, synchronous commit, closed loop: committed events per second. */
    Result batch(String name, String measures, Target target, OptionalLong pid, double ceiling) {
        Result result = new Result(name, measures);
        warmUp(target, name, settings.batchSize(), settings.batchClients(), false);
        ServerProbe probe = new ServerProbe(target.url(), pid);
        probe.start();
        double rate;
        try {
            rate = batchCapacity(result, "", name, target, pid);
        } finally {
            result.server(probe.stop());
        }
        result.figure("events/s committed", rate, "events/s", ratio(rate, ceiling), null, null);
        return result;
    }

    /**
     * Batches of {@code bench.batch.size} events from {@code bench.batch.clients} connections in a closed loop,
     * counts checked exactly and CPU recorded under {@code phase}: committed events per second.
     */
    double batchCapacity(Result result, String phase, String name, Target target, OptionalLong pid) {
        Target.Stats before = target.stats();
        CpuMeter cpu = CpuMeter.start(pid);
        LoadDriver.Outcome outcome = new LoadDriver(target.url(), new EventSet(prefix(name + phase)),
                settings.batchSize(), false)
                .closedLoop(settings.batchClients(), settings.duration(), maxRequests(settings.batchSize()));
        cost(result, phase, outcome, cpu.stop());
        checkSync(result, phase, outcome, target.awaitDrained(settings.drainTimeout()).minus(before));
        return outcome.eventsPerSecond();
    }

    /** Server CPU per request and per event of a closed loop, the figure the CPU targets judge. */
    static double serverMicros(Result result, boolean perRequest) {
        Result.Cost closedLoop = result.costs().get(0);
        return perRequest ? closedLoop.serverMicrosPerRequest() : closedLoop.serverMicrosPerEvent();
    }

    private static void cost(Result result, String phase, LoadDriver.Outcome outcome, CpuMeter.Shares cpu) {
        result.cost(phase.isEmpty() ? "closed loop" : phase, outcome.requests(), outcome.events(), cpu);
    }

    /** One event per request from 64 connections: capacity closed loop, then latency open loop at the target rate. */
    Result single(Target target, OptionalLong pid, double ceiling) {
        Result result = new Result("single", "one event per request, " + settings.singleClients()
                + " concurrent connections, synchronous commit; capacity in a closed loop, latency in an open loop "
                + "at a fixed rate (no coordinated omission)");
        warmUp(target, "single", 1, settings.singleClients(), false);
        ServerProbe probe = new ServerProbe(target.url(), pid);
        probe.start();
        double rps = singleCapacity(result, "", target, pid);
        result.figure("requests/s (closed loop)", rps, "requests/s", ratio(rps, ceiling), ">= 10000", rps >= 10_000);
        double micros = serverMicros(result, true);
        result.figure("server CPU per request (closed loop)", micros, "µs", null, "<= 100 µs",
                Double.isNaN(micros) ? null : micros <= 100);
        openLoop(result, target, "single-open", settings.singleRate(), true);
        if (rps < settings.singleRate()) {
            // Above capacity an open loop only measures its own queue: show the latency at a rate the server holds.
            openLoop(result, target, "single-open80", (int) Math.max(1, rps * 0.8), false);
        }
        result.server(probe.stop());
        return result;
    }

    /**
     * One event per request from {@code bench.single.clients} connections in a closed loop, counts checked exactly
     * and CPU recorded under {@code phase}: requests per second.
     */
    double singleCapacity(Result result, String phase, Target target, OptionalLong pid) {
        Target.Stats before = target.stats();
        CpuMeter cpu = CpuMeter.start(pid);
        LoadDriver.Outcome capacity = new LoadDriver(target.url(), new EventSet(prefix("single" + phase)), 1, false)
                .closedLoop(settings.singleClients(), settings.duration(), maxRequests(1));
        cost(result, phase, capacity, cpu.stop());
        checkSync(result, phase, capacity, target.awaitDrained(settings.drainTimeout()).minus(before));
        return capacity.requestsPerSecond();
    }

    private void openLoop(Result result, Target target, String name, int rate, boolean judged) {
        Target.Stats before = target.stats();
        LoadDriver.Outcome outcome = new LoadDriver(target.url(), new EventSet(prefix(name)), 1, false)
                .openLoop(settings.singleClients(), rate, settings.duration());
        Target.Stats delta = target.awaitDrained(settings.drainTimeout()).minus(before);
        result.expect(name + " errors", 0, outcome.errors());
        result.expect(name + " unique in /stats", EventSet.uniqueIn(outcome.events()), delta.unique());
        result.count(name + "_requests", outcome.requests());
        result.count(name + "_errors", outcome.errors());
        result.count(name + "_not_sent_in_time", outcome.missed());
        String at = " at " + rate + "/s offered";
        double p99 = outcome.latency().getValueAtPercentile(99) / 1000.0;
        result.figure("achieved requests/s" + at, outcome.requestsPerSecond(), "requests/s", null, null, null);
        result.figure("p50" + at, outcome.latency().getValueAtPercentile(50) / 1000.0, "ms", null, null, null);
        result.figure("p95" + at, outcome.latency().getValueAtPercentile(95) / 1000.0, "ms", null, null, null);
        result.figure("p99" + at, p99, "ms", null, judged ? "< 25 ms" : null,
                judged ? p99 < 25 && outcome.requestsPerSecond() >= rate * 0.98 : null);
    }

    /** Batches with {@code Prefer: respond-async}: 202s per second, and the rate at which consumers commit them. */
    Result async(Target target, OptionalLong pid, double ceiling, double batchRate) {
        return async("async", "", target, pid, ceiling, batchRate);
    }

    /** The async scenario under another name, its description ending in {@code on}. */
    Result async(String name, String on, Target target, OptionalLong pid, double ceiling, double batchRate) {
        Result result = new Result(name, "batches of " + settings.batchSize() + " events with Prefer: respond-async "
                + "through Redis Streams, " + settings.asyncClients() + " connections; accept = 202 answers, drain = "
                + "events committed by the consumers from the first publish until nothing is pending" + on);
        warmUp(target, name, settings.batchSize(), settings.asyncClients(), true);
        target.awaitDrained(settings.drainTimeout());
        EventSet events = new EventSet(prefix(name));
        ServerProbe probe = new ServerProbe(target.url(), pid);
        Target.Stats before = target.stats();
        probe.start();
        CpuMeter cpu = CpuMeter.start(pid);
        long start = System.nanoTime();
        // Bounded in events too, so that the drain that follows stays bounded in time.
        LoadDriver.Outcome outcome = new LoadDriver(target.url(), events, settings.batchSize(), true)
                .closedLoop(settings.asyncClients(), settings.duration(),
                        Math.max(1, settings.asyncEvents() / settings.batchSize()));
        Target.Stats delta;
        try {
            delta = target.awaitDrained(settings.drainTimeout()).minus(before);
        } catch (IllegalStateException notDrained) {
            delta = target.stats().minus(before);
            result.expect("events still pending after " + settings.drainTimeout().toSeconds() + " s", 0,
                    delta.pending());
        }
        double drainSeconds = (System.nanoTime() - start) / 1e9;
        result.cost("publish until drained", outcome.requests(), outcome.events(), cpu.stop());
        result.server(probe.stop());
        long unique = EventSet.uniqueIn(outcome.events());
        result.count("events", outcome.events());
        result.count("errors", outcome.errors());
        if (outcome.firstError() != null) {
            result.count("first_error", outcome.firstError());
        }
        result.expect("errors", 0, outcome.errors());
        result.expect("unique in /stats", unique, delta.unique());
        result.expect("duplicates in /stats", outcome.events() - unique, delta.duplicates());
        double accept = outcome.eventsPerSecond();
        double drain = (delta.unique() + delta.duplicates()) / drainSeconds;
        result.figure("accepted events/s", accept, "events/s", ratio(accept, ceiling), ">= 200000", accept >= 200_000);
        result.figure("drained events/s", drain, "events/s", ratio(drain, ceiling),
                ">= batch (" + Math.round(batchRate) + ")", Double.isNaN(batchRate) ? null : drain >= batchRate);
        return result;
    }

    /**
     * Records a synchronous run's counts and checks them exactly; {@code phase} ("" for none) prefixes their names
     * where a scenario runs several loads.
     */
    static void checkSync(Result result, String phase, LoadDriver.Outcome outcome, Target.Stats delta) {
        String count = phase.isEmpty() ? "" : phase + "_";
        String check = phase.isEmpty() ? "" : phase + " ";
        long unique = EventSet.uniqueIn(outcome.events());
        result.count(count + "requests", outcome.requests());
        result.count(count + "events", outcome.events());
        result.count(count + "unique", unique);
        result.count(count + "errors", outcome.errors());
        if (outcome.firstError() != null) {
            result.count(count + "first_error", outcome.firstError());
        }
        result.expect(check + "errors", 0, outcome.errors());
        result.expect(check + "stored in the answers", unique, outcome.stored());
        result.expect(check + "duplicates in the answers", outcome.events() - unique, outcome.duplicates());
        result.expect(check + "unique in /stats", unique, delta.unique());
        result.expect(check + "duplicates in /stats", outcome.events() - unique, delta.duplicates());
    }

    void warmUp(Target target, String name, int size, int clients, boolean async) {
        if (settings.warmup().isZero()) {
            return;
        }
        // Rounds of bench.warmup.seconds as WarmupRule says; one round for the asynchronous path, whose every round
        // leaves a backlog to drain before the measurement.
        WarmupRule rule = new WarmupRule(settings.warmupMin(), WARMUP_RISE, async ? 1 : WARMUP_ROUNDS_MAX);
        long start = System.nanoTime();
        double best = 0;
        for (int round = 1; ; round++) {
            // Fresh events each round: a driver numbers its events from the start of its set every run.
            double rate = new LoadDriver(target.url(), new EventSet(prefix(name + "-warmup" + round)), size, async)
                    .closedLoop(clients, settings.warmup(), maxRequests(size)).requestsPerSecond();
            if (rule.ends(round, rate, best, Duration.ofNanos(System.nanoTime() - start))) {
                System.out.printf("   %s warmed up in %d rounds (%.0f requests/s last)%n", name, round, rate);
                return;
            }
            best = Math.max(best, rate);
        }
    }

    long maxRequests(int eventsPerRequest) {
        return Math.max(1, MAX_EVENTS_PER_SECOND * (settings.duration().toMillis() + 1000) / 1000 / eventsPerRequest);
    }

    String prefix(String name) {
        return "bench-" + settings.runId() + "-" + name;
    }

    static Double ratio(double value, double ceiling) {
        return Double.isNaN(ceiling) || ceiling <= 0 ? null : value / ceiling;
    }
}
