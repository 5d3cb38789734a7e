package it.org.libertyevents.aggregator.faults.schedule;

import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.OwnPostgres;
import it.org.libertyevents.aggregator.support.OwnRedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import static org.awaitility.Awaitility.await;

/**
 * What the schedule breaks: two aggregator instances (13 and 14) sharing a PostgreSQL (port 5443) and a Redis
 * (port 6393, append-only file synced on every write) of the test's own, so the build's shared servers are never
 * touched. The instances reclaim idle broker entries after {@link #RECLAIM_IDLE} and run broker maintenance (trims,
 * receipt pruning) every second, so a stalled consumer meets everything a long stall in production would.
 */
final class Cluster implements AutoCloseable {

    static final List<Integer> INSTANCES = List.of(13, 14);
    static final Duration RECLAIM_IDLE = Duration.ofSeconds(3);
    /** The instances' database connections each. */
    static final int POOL = 10;
    private static final int REDIS_PORT = 6393;
    private static final int POSTGRES_PORT = 5443;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final OwnPostgres postgres;
    private final OwnRedis redis;
    private final String databaseUrl;
    private final String stream = "it-schedule-" + UUID.randomUUID();
    private final Map<String, String> env;
    private final Set<Integer> paused = ConcurrentHashMap.newKeySet();

    private Cluster(OwnPostgres postgres, OwnRedis redis) {
        this.postgres = postgres;
        this.redis = redis;
        this.databaseUrl = postgres.createDatabase("schedule");
        this.env = Map.ofEntries(
                Map.entry("DB_URL", databaseUrl), Map.entry("DB_USER", "postgres"), Map.entry("DB_PASSWORD", ""),
                Map.entry("DB_POOL_MAX", Integer.toString(POOL)),
                // Longer than any hold, so that a held read keeps its connection until the hold ends.
                Map.entry("DB_READ_TIMEOUT_SECONDS", "30"),
                Map.entry("REDIS_URL", redis.url()), Map.entry("BROKER_STREAM", stream),
                Map.entry("BROKER_RECLAIM_IDLE_SECONDS", Long.toString(RECLAIM_IDLE.toSeconds())),
                Map.entry("BROKER_MAINTENANCE_SECONDS", "1"),
                Map.entry("PUBLISH_TIMEOUT_SECONDS", "5"), Map.entry("SCHEMA_RETRY_SECONDS", "1"));
    }

    /** Starts the database, the broker and both instances; whatever started is stopped again if the rest fails. */
    static Cluster start() {
        OwnPostgres postgres = OwnPostgres.start(POSTGRES_PORT);
        OwnRedis redis;
        try {
            redis = OwnRedis.start(REDIS_PORT);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        Cluster cluster;
        try {
            cluster = new Cluster(postgres, redis);
        } catch (RuntimeException e) {
            redis.close();
            postgres.close();
            throw e;
        }
        try {
            // Both at once: each start waits for readiness, and two Liberty starts share the machine well enough.
            CompletableFuture.allOf(INSTANCES.stream().map(n -> CompletableFuture.runAsync(() ->
                    Instances.start(n, cluster.env))).toArray(CompletableFuture[]::new)).join();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    List<String> bases() {
        return INSTANCES.stream().map(Instances::url).toList();
    }

    String databaseUrl() {
        return databaseUrl;
    }

    String redisUrl() {
        return redis.url();
    }

    String stream() {
        return stream;
    }

    /**
     * Runs one fault from its start to its end (the part it broke is back, or restarting) and says what happened.
     *
     * @param topic             a topic the held reads may ask for
     * @param withoutRetryAfter counts the held reads' 5xx answers without {@code Retry-After}
     */
    String inject(Fault fault, String topic, LongAdder withoutRetryAfter) throws Exception {
        int n = fault.instance();
        switch (fault.kind()) {
            case KILL_INSTANCE -> {
                Instances.kill(n);
                long killed = System.nanoTime();
                Instances.start(n, env);
                return "down " + Duration.ofNanos(System.nanoTime() - killed).toSeconds() + " s";
            }
            case PAUSE_INSTANCE -> {
                Instances.pause(n);
                paused.add(n);
                try {
                    Thread.sleep(fault.length().toMillis());
                } finally {
                    Instances.resume(n);
                    paused.remove(n);
                }
                return "resumed";
            }
            case KILL_REDIS -> {
                redis.kill();
                try {
                    Thread.sleep(fault.length().toMillis());
                } finally {
                    redis.restart();
                }
                return "restarted";
            }
            case STOP_POSTGRES -> {
                postgres.stopImmediately();
                try {
                    Thread.sleep(fault.length().toMillis());
                } finally {
                    postgres.start();
                }
                return "started, after crash recovery";
            }
            case HOLD_POOL -> {
                return PoolHold.hold(databaseUrl, Instances.url(n), topic, fault.held(), fault.length(),
                        withoutRetryAfter);
            }
        }
        throw new IllegalArgumentException(fault.kind().name());
    }

    /** Waits until both instances answer ready again, restarting a part that a failed fault left down. */
    void awaitUp() {
        if (!redis.isRunning()) {
            redis.restart();
        }
        for (int n : INSTANCES) {
            if (readiness(Instances.url(n)) == -1) {
                Instances.start(n, env);
            }
            await("instance " + n + " ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> readiness(Instances.url(n)) == 200);
        }
    }

    private static int readiness(String base) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception unreachable) {
            return -1;
        }
    }

    /** Stops everything, resuming a paused instance first (a stopped JVM cannot shut down). */
    @Override
    public void close() {
        for (int n : paused) {
            try {
                Instances.resume(n);
            } catch (RuntimeException e) {
                System.err.println("could not resume instance " + n + ": " + e);
            }
        }
        for (int n : INSTANCES) {
            try {
                Instances.stop(n);
            } catch (RuntimeException e) {
                System.err.println("could not stop instance " + n + ": " + e);
            }
        }
        redis.close();
        postgres.close();
    }
}
