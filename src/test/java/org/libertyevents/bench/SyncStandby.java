package org.libertyevents.bench;

import it.org.libertyevents.aggregator.support.StandbyPair;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The sync-standby scenario: what synchronous replication costs the service. It starts a PostgreSQL primary with a
 * streaming standby of its own ({@link StandbyPair}, ports {@code bench.standby.base.port} and the next) and a
 * server on their multi-host URL, and runs the batch load and the single-event closed loop twice on it: every
 * commit waiting for the standby ({@code synchronous_standby_names = '*'}), then not
 * ({@code synchronous_standby_names = ''}, the standby still streaming). The figures are the two rates of each
 * and their ratios, synchronous to not.
 */
final class SyncStandby {

    static final String NAME = "sync-standby";
    /** Instances 1-5 are the other scenarios'. */
    private static final int INSTANCE = 6;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final BenchSettings settings;
    private final Scenarios scenarios;

    SyncStandby(BenchSettings settings, Scenarios scenarios) {
        this.settings = settings;
        this.scenarios = scenarios;
    }

    Result run(BenchServers servers) throws IOException {
        int port = settings.standbyBasePort();
        String measures = "batch and single on a server of its own whose PostgreSQL (port " + port + ") has a "
                + "streaming standby (port " + (port + 1) + "), with every commit waiting for it and then not";
        if (!settings.ownServers()) {
            return Result.skipped(NAME, measures, "starts a database and a server of its own: not with bench.target");
        }
        try (StandbyPair pair = StandbyPair.start(port, port + 1)) {
            BenchServers.Server server = servers.start(INSTANCE, pair.url(), settings.redisUrl(),
                    Map.of("DB_USER", "postgres", "DB_PASSWORD", ""));
            Target target = new Target(server.url());
            target.awaitReady(START_TIMEOUT);
            Result result = new Result(NAME, measures);
            scenarios.warmUp(target, NAME, settings.batchSize(), settings.batchClients(), false);
            ServerProbe probe = new ServerProbe(target.url(), server.pid());
            probe.start();
            try {
                double[] synchronous = phase(result, "synchronous", target, server);
                pair.primary().configure("synchronous_standby_names", "");
                double[] local = phase(result, "not_waiting", target, server);
                ratio(result, "batch", synchronous[0] / local[0]);
                ratio(result, "single", synchronous[1] / local[1]);
            } finally {
                result.server(probe.stop());
                servers.stop(server);  // on failure the benchmark's stopAll does
            }
            return result;
        }
    }

    /** Batch events/s and single requests/s in one mode. */
    private double[] phase(Result result, String mode, Target target, BenchServers.Server server) {
        double batch = scenarios.batchCapacity(result, mode + "_batch", NAME, target, server.pid());
        double single = scenarios.singleCapacity(result, mode + "_single", target, server.pid());
        String label = mode.equals("synchronous") ? "standby synchronous" : "standby not waited for";
        result.figure("batch events/s, " + label, batch, "events/s", null, null, null);
        result.figure("single requests/s, " + label, single, "requests/s", null, null, null);
        return new double[] {batch, single};
    }

    private static void ratio(Result result, String load, double ratio) {
        result.figure(load + " ratio, synchronous to not", ratio, "x", null, "measured", null);
    }
}
