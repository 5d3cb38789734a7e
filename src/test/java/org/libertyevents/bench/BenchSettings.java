package org.libertyevents.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of a benchmark run, read from system properties ({@code bench.*}) with the defaults of a full run
 * on this project's reference machine; {@code bench.smoke=true} shortens every phase to seconds (the CI variant).
 * docs/benchmarks.md lists them.
 *
 * @param target          base URL of a running PostgreSQL (and Redis) server; empty: the benchmark starts its own
 * @param embeddedTarget  base URL of a running embedded-H2 server; empty: started by the benchmark when it starts
 *                        its own servers, otherwise the embedded scenario is skipped
 * @param serverPidFiles  Liberty pid files of the running targets (for CPU, RSS and heap after GC), in target order
 * @param warmupMin       the least time a synchronous warm-up lasts, however flat its rate (the JIT compiles in steps)
 * @param redisDownPort   port of the Redis the redis-down scenario starts and kills
 * @param statsPoll       how long the redis-down scenario's dashboard waits between {@code /stats} polls
 * @param clusterBasePort first of the six ports of the Redis Cluster the async-cluster scenario starts
 * @param standbyBasePort port of the primary the sync-standby scenario starts; its standby listens on the next
 * @param scalePostgresPort     port of the PostgreSQL the scale scenario starts when the benchmark starts its servers
 * @param scalePostgresDir      where that PostgreSQL keeps its data (and the filled tables) between runs
 * @param scalePostgresSettings its server parameters ({@code ALTER SYSTEM}), {@link #SCALE_POSTGRES} unless set
 * @param natsUrl         the NATS server (with JetStream) of the jetstream scenario
 * @param jetstreamWindow most publishes the jetstream scenario's pipelined phase has awaiting their acks
 */
public record BenchSettings(String runId, boolean smoke, Set<String> scenarios, Path out,
                            String target, String embeddedTarget, List<Path> serverPidFiles,
                            Duration warmup, Duration warmupMin, Duration duration, Duration drainTimeout,
                            int batchSize, int batchClients, int singleClients, int singleRate, int asyncClients,
                            long asyncEvents,
                            List<Integer> ceilingRowsPerStatement, int ceilingConnections,
                            String dbUrl, String dbUser, String dbPassword, long scaleRows,
                            long scaleKeys, int scalePostgresPort, Path scalePostgresDir,
                            Map<String, String> scalePostgresSettings, long expiryRows, long subscriberEvents,
                            String redisUrl, String stream, int redisDownPort, Duration statsPoll,
                            int clusterBasePort, int standbyBasePort, String natsUrl, int jetstreamWindow,
                            Path wlpDir, Path instancesScript, int baseHttpPort, int baseHttpsPort,
                            String serverJvmArgs, Map<String, String> serverEnv, boolean jfr) {

    /**
     * The scale scenario's PostgreSQL, sized as its documentation advises for a working set: buffers that hold the key
     * index of 50 million keys (about 2 GB) and the recent heap pages, and WAL room for the full-page images that
     * random index writes cost after each checkpoint.
     */
    static final String SCALE_POSTGRES = "shared_buffers=6GB,maintenance_work_mem=1GB,wal_compression=lz4,"
            + "max_wal_size=16GB,checkpoint_timeout=30min";

    /** Scenario names in the order they run. */
    public static final List<String> ALL_SCENARIOS =
            List.of("batch", "single", "async", "async-cluster", "jetstream", "scale", "embedded", "redis-down",
                    "sync-standby", "expiry", "subscribers");

    /** Reads the {@code bench.*} system properties. */
    public static BenchSettings fromSystemProperties() {
        return from(System.getProperties());
    }

    /** Reads the {@code bench.*} entries of a property set; absent or blank ones take their defaults. */
    public static BenchSettings from(Properties properties) {
        Function<String, String> props = properties::getProperty;
        boolean smoke = Boolean.parseBoolean(get(props, "bench.smoke", "false"));
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        Path project = Path.of(get(props, "bench.project.dir", ".")).toAbsolutePath().normalize();
        return new BenchSettings(runId, smoke,
                new LinkedHashSet<>(list(get(props, "bench.scenarios", String.join(",", ALL_SCENARIOS)))),
                Path.of(get(props, "bench.out", project.resolve("target/bench").toString())),
                stripSlash(get(props, "bench.target", "")), stripSlash(get(props, "bench.embedded.target", "")),
                list(get(props, "bench.server.pid.files", "")).stream().map(Path::of).toList(),
                seconds(props, "bench.warmup.seconds", smoke ? 0.5 : 5),
                seconds(props, "bench.warmup.min.seconds", smoke ? 0 : 90),
                seconds(props, "bench.duration.seconds", smoke ? 1 : 15),
                seconds(props, "bench.drain.timeout.seconds", smoke ? 30 : 180),
                integer(props, "bench.batch.size", 500), integer(props, "bench.batch.clients", 8),
                integer(props, "bench.single.clients", 64), integer(props, "bench.single.rate", smoke ? 500 : 10_000),
                integer(props, "bench.async.clients", 4),
                Long.parseLong(get(props, "bench.async.events", smoke ? "50000" : "500000")),
                list(get(props, "bench.ceiling.rows", "100,500")).stream().map(Integer::valueOf).toList(),
                integer(props, "bench.ceiling.connections", 2),
                get(props, "bench.db.url", "jdbc:postgresql://127.0.0.1:5432/aggregator_bench"),
                get(props, "bench.db.user", "postgres"), get(props, "bench.db.password", ""),
                Long.parseLong(get(props, "bench.scale.rows", smoke ? "20000" : "10000000")),
                Long.parseLong(get(props, "bench.scale.keys", smoke ? "40000" : "50000000")),
                integer(props, "bench.scale.postgres.port", 5448),
                Path.of(get(props, "bench.scale.postgres.dir", project.resolve("target/bench-scale-postgres").toString())),
                pairs("bench.scale.postgres.settings", get(props, "bench.scale.postgres.settings", SCALE_POSTGRES)),
                Long.parseLong(get(props, "bench.expiry.rows", smoke ? "20000" : "1000000")),
                Long.parseLong(get(props, "bench.subscribers.events", smoke ? "1000" : "10000")),
                get(props, "bench.redis.url", "redis://127.0.0.1:6379"), get(props, "bench.stream", "bench-" + runId),
                integer(props, "bench.redis.down.port", 6397),
                // The dashboard's own interval (STATS_MS in src/main/webapp/ui/dashboard.js).
                Duration.ofMillis(integer(props, "bench.stats.poll.ms", 2000)),
                integer(props, "bench.cluster.base.port", 7201),
                integer(props, "bench.standby.base.port", 5446),
                get(props, "bench.nats.url", "nats://127.0.0.1:4222"), integer(props, "bench.jetstream.window", 1000),
                Path.of(get(props, "bench.wlp.dir", project.resolve("target/liberty/wlp").toString())),
                project.resolve("src/main/scripts/instances.sh"),
                integer(props, "bench.base.http.port", 9580), integer(props, "bench.base.https.port", 9590),
                get(props, "bench.server.jvm.args", "-Xmx512m"), pairs("bench.server.env", get(props, "bench.server.env", "")),
                Boolean.parseBoolean(get(props, "bench.jfr", "false")));
    }

    /** True when the benchmark starts (and owns, so may empty) its servers and their databases. */
    public boolean ownServers() {
        return target.isEmpty();
    }

    public boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    private static String get(Function<String, String> properties, String name, String fallback) {
        String value = properties.apply(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static int integer(Function<String, String> properties, String name, int fallback) {
        return Integer.parseInt(get(properties, name, Integer.toString(fallback)));
    }

    private static Duration seconds(Function<String, String> properties, String name, double fallback) {
        double seconds = Double.parseDouble(get(properties, name, Double.toString(fallback)));
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, String> pairs(String setting, String value) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : list(value)) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(setting + " takes name=value pairs, got " + pair);
            }
            pairs.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return pairs;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
