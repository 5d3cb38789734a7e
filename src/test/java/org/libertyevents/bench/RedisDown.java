package org.libertyevents.bench;

import it.org.libertyevents.aggregator.support.OwnRedis;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The redis-down scenario: synchronous publishes must not depend on the broker, not even while a dashboard polls
 * {@code /stats}, which reads the broker's backlog. It starts a Redis of its own and a server on PostgreSQL using
 * it, and runs the batch load with a {@link DashboardPoller} open three times: Redis up; Redis hung (SIGSTOP: it
 * accepts connections and answers nothing, so each call waits for its timeout, the case where a call held under
 * the commit lock stalled the writers for seconds); Redis killed (connections refused, calls fail at once). Before
 * each outage phase readiness must report the broker down. The targets are the ratios of the outage rates to the
 * rate with Redis up; the dashboard's {@code /stats} polls must all answer 200 in every phase.
 */
final class RedisDown {

    static final String NAME = "redis-down";
    /** Instances 1-3 are the other scenarios'; each runs alone, but a port of its own keeps a stray one apart. */
    private static final int INSTANCE = 4;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration BROKER_DOWN_TIMEOUT = Duration.ofSeconds(60);
    /** Beyond the load's duration: its last requests may wait up to their 60 s socket timeout. */
    private static final Duration POLL_MARGIN = Duration.ofSeconds(90);

    private final BenchSettings settings;
    private final Scenarios scenarios;

    RedisDown(BenchSettings settings, Scenarios scenarios) {
        this.settings = settings;
        this.scenarios = scenarios;
    }

    Result run(BenchServers servers, double ceiling) throws IOException {
        String measures = "the batch scenario with a dashboard polling /stats every " + settings.statsPoll().toMillis()
                + " ms, on a server whose Redis (port " + settings.redisDownPort() + ") is up, then hung (SIGSTOP), "
                + "then killed";
        if (!settings.ownServers()) {
            return Result.skipped(NAME, measures, "kills the Redis of a server of its own: not with bench.target");
        }
        if (!OwnRedis.available()) {
            return Result.skipped(NAME, measures, "no redis-server on the PATH");
        }
        try (OwnRedis redis = OwnRedis.start(settings.redisDownPort())) {
            BenchServers.Server server = servers.start(INSTANCE, settings.dbUrl(), redis.url());
            Target target = new Target(server.url());
            target.awaitReady(START_TIMEOUT);
            Result result = measure(new Result(NAME, measures), target, server.pid(), redis, ceiling);
            servers.stop(server);  // on failure the benchmark's stopAll does
            return result;
        }
    }

    private Result measure(Result result, Target target, OptionalLong pid, OwnRedis redis, double ceiling) {
        scenarios.warmUp(target, NAME, settings.batchSize(), settings.batchClients(), false);
        ServerProbe probe = new ServerProbe(target.url(), pid);
        probe.start();
        double up;
        double hung;
        double down;
        try {
            up = phase(result, target, pid, "up", ceiling);
            redis.pause();
            target.awaitCheck("broker", "DOWN", BROKER_DOWN_TIMEOUT);
            hung = phase(result, target, pid, "hung", ceiling);
            redis.kill();
            target.awaitCheck("broker", "DOWN", BROKER_DOWN_TIMEOUT);
            down = phase(result, target, pid, "down", ceiling);
        } finally {
            result.server(probe.stop());
        }
        ratio(result, "hung", hung / up);
        ratio(result, "down", down / up);
        return result;
    }

    private static void ratio(Result result, String phase, double ratio) {
        result.figure("ratio " + phase + "/up", ratio, "x", null, ">= 0.8", Double.isNaN(ratio) ? null : ratio >= 0.8);
    }

    /** One batch load with the dashboard open; returns the events committed per second. */
    private double phase(Result result, Target target, OptionalLong pid, String phase, double ceiling) {
        String redis = ", Redis " + phase;
        DashboardPoller dashboard = new DashboardPoller(target.url(), settings.statsPoll());
        Target.Stats before = target.stats();
        LoadDriver.Outcome outcome;
        DashboardPoller.Figures polls;
        dashboard.start(settings.duration().plus(POLL_MARGIN));
        CpuMeter cpu = CpuMeter.start(pid);
        try {
            outcome = new LoadDriver(target.url(), new EventSet(scenarios.prefix(NAME + "-" + phase)),
                    settings.batchSize(), false)
                    .closedLoop(settings.batchClients(), settings.duration(),
                            scenarios.maxRequests(settings.batchSize()));
        } finally {
            polls = dashboard.stop();
        }
        result.cost("Redis " + phase, outcome.requests(), outcome.events(), cpu.stop());
        Scenarios.checkSync(result, phase, outcome, target.awaitDrained(settings.drainTimeout()).minus(before));
        result.count(phase + "_stats_polls", polls.polls());
        result.count(phase + "_stats_failures", polls.failures());
        if (polls.firstFailure() != null) {
            result.count(phase + "_stats_first_failure", polls.firstFailure());
        }
        result.count(phase + "_events_read_failures", polls.eventsFailures());
        double rate = outcome.eventsPerSecond();
        result.figure("events/s committed" + redis, rate, "events/s", Scenarios.ratio(rate, ceiling), null, null);
        Histogram latency = polls.latency();
        result.figure("/stats p50" + redis, latency.getValueAtPercentile(50) / 1000.0, "ms", null, null, null);
        result.figure("/stats p99" + redis, latency.getValueAtPercentile(99) / 1000.0, "ms", null, null, null);
        result.figure("/stats polls not answered 200" + redis, polls.failures(), "of " + polls.polls() + " polls",
                null, "0", polls.polls() > 0 && polls.failures() == 0);
        return rate;
    }
}
