package org.libertyevents.bench;

import it.org.libertyevents.aggregator.support.OwnRedis;
import it.org.libertyevents.aggregator.support.OwnRedisCluster;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The async-cluster scenario: the async scenario again, on a server of its own whose broker is a Redis Cluster the
 * scenario starts (three masters with a replica each on six ports from {@code bench.cluster.base.port}, append-only
 * files synced on every write, every append confirmed by a replica with {@code WAIT}), against the standalone Redis
 * of the async scenario in the same run: the ratios of accept and drain rates say what the cluster costs one
 * instance.
 */
final class AsyncCluster {

    static final String NAME = "async-cluster";
    /** Instances 1-4 are the other scenarios'. */
    private static final int INSTANCE = 5;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final BenchSettings settings;
    private final Scenarios scenarios;

    AsyncCluster(BenchSettings settings, Scenarios scenarios) {
        this.settings = settings;
        this.scenarios = scenarios;
    }

    Result run(BenchServers servers, double ceiling, double batchRate, Result standalone) throws IOException {
        String on = ", on a Redis Cluster of 3 masters and 3 replicas (ports " + settings.clusterBasePort() + "-"
                + (settings.clusterBasePort() + 5) + "), each 202 confirmed by a replica";
        if (!settings.ownServers()) {
            return Result.skipped(NAME, "the async scenario" + on, "starts a server of its own: not with bench.target");
        }
        if (!OwnRedis.available()) {
            return Result.skipped(NAME, "the async scenario" + on, "no redis-server on the PATH");
        }
        try (OwnRedisCluster cluster = OwnRedisCluster.start(settings.clusterBasePort())) {
            BenchServers.Server server = servers.start(INSTANCE, settings.dbUrl(), settings.redisUrl(),
                    Map.of("REDIS_CLUSTER_NODES", cluster.seeds()));
            Target target = new Target(server.url());
            target.awaitReady(START_TIMEOUT);
            Result result = scenarios.async(NAME, on, target, server.pid(), ceiling, batchRate);
            servers.stop(server);  // on failure the benchmark's stopAll does
            if (standalone != null) {
                ratio(result, "accepted", standalone);
                ratio(result, "drained", standalone);
            }
            return result;
        }
    }

    private static void ratio(Result result, String figure, Result standalone) {
        double ratio = result.value(figure + " events/s") / standalone.value(figure + " events/s");
        result.figure(figure + " ratio to standalone Redis", ratio, "x", null, "measured", null);
    }
}
