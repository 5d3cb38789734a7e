package org.libertyevents.aggregator.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.libertyevents.aggregator.config.BrokerBounds;
import org.libertyevents.aggregator.config.BrokerSettings;
import org.libertyevents.aggregator.event.Event;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends publish requests to the broker: each request whole to one partition, atomically ({@code append.lua}),
 * and, with {@code BROKER_MIN_REPLICAS}, confirmed by that many replicas ({@code WAIT} on the same connection, so
 * it waits for this very write) before it counts as appended.
 *
 * <p>An append refused before it ran (the slot moved or is migrating, the cluster is down or failing over) is tried
 * again a few times; one whose outcome is unknown (the connection broke) is not, since it may have taken effect: the
 * caller answers 503 and the client's retry is a duplicate, or, with an Idempotency-Key, finds the key's marker.
 *
 * <p>The calls carry MicroProfile Fault Tolerance: a bounded wait, and a circuit breaker that answers at once while
 * Redis is down.
 */
@ApplicationScoped
public class BrokerAppends {

    /** Attempts at an append that Redis refused before running it (MOVED, ASK, TRYAGAIN, CLUSTERDOWN). */
    private static final int ATTEMPTS = 5;
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @Inject
    private BrokerRedis redis;

    @Inject
    private BrokerSettings settings;

    @Inject
    private BrokerBounds bounds;

    @Inject
    private BrokerMetrics metrics;

    /** True when a broker is configured. */
    public boolean enabled() {
        return redis.enabled();
    }

    /**
     * Appends the events as entries of at most {@link BrokerSettings#entryMaxEvents()} events each, atomically.
     * Returns once Redis has them (and the replicas asked for), durable as far as Redis's own persistence settings
     * make them. With a key, the key's marker is set in the same step, so the same request is not appended twice.
     *
     * @param key the request's Idempotency-Key, or null
     * @return {@link Appended#BACKLOG_FULL}, with nothing appended, when the backlog of the request's partition would
     *         pass its share of {@link BrokerSettings#maxBacklogEvents()} or {@link BrokerBounds#maxBacklogBytes()}
     */
    @Timeout(5000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2000, successThreshold = 1)
    public Appended append(List<Event> events, AppendKey key) {
        long started = System.nanoTime();
        StreamKeys partition = redis.partitionFor(key);
        List<String> keys = List.of(partition.stream(), partition.backlog(), partition.backlogBytes(),
                key == null ? partition.stream() : partition.appendMarker(key.key()));
        List<String> args = arguments(events, key);
        for (int attempt = 1; ; attempt++) {
            try {
                Appended appended = appendOnce(partition, keys, args);
                metrics.appended(System.nanoTime() - started);
                return appended;
            } catch (JedisRedirectionException | JedisClusterOperationException e) {
                refusedBeforeRunning(attempt, partition, e);
            } catch (JedisDataException e) {
                if (!e.getMessage().startsWith("TRYAGAIN") && !e.getMessage().startsWith("CLUSTERDOWN")) {
                    throw e;
                }
                refusedBeforeRunning(attempt, partition, e);
            }
        }
    }

    /** Drops the marker of a key whose answer is kept elsewhere now: a retry gets that answer, never an append. */
    @Timeout(3000)
    public void forget(AppendKey key) {
        redis.client().del(redis.partitionFor(key).appendMarker(key.key()));
    }

    /**
     * One attempt, on one connection through a pipeline, even without replicas to wait for: unlike Jedis's cluster
     * commands, a pipeline never sends an append again after a broken connection, which could append it twice.
     */
    private Appended appendOnce(StreamKeys partition, List<String> keys, List<String> args) {
        int replicas = redis.topology().minReplicas();
        try (AbstractPipeline pipeline = redis.client().pipelined()) {
            Response<Object> reply = pipeline.eval(LuaScript.APPEND.source(), keys, args);
            // WAIT waits for the writes of the connection it is sent on: the pipeline's, the append's.
            Response<Long> confirmed = replicas == 0 ? null
                    : pipeline.waitReplicas(partition.stream(), replicas, redis.topology().replicaWait().toMillis());
            pipeline.sync();
            Appended appended = Appended.of(RedisReplies.number(RedisReplies.of(reply)));
            boolean written = appended == Appended.APPENDED || appended == Appended.APPENDED_BEFORE;
            return written && confirmed != null && RedisReplies.of(confirmed) < replicas
                    ? Appended.UNREPLICATED : appended;
        }
    }

    private void refusedBeforeRunning(int attempt, StreamKeys partition, RuntimeException e) {
        if (attempt >= ATTEMPTS) {
            throw e;
        }
        // A failover or a slot migration takes a moment to settle.
        LockSupport.parkNanos(RETRY_PAUSE_NANOS * attempt);
        try {
            // A plain command follows redirections and makes the cluster client re-read its slot map.
            redis.client().exists(partition.stream());
        } catch (RuntimeException stillMoving) {
            // The next attempt finds out.
        }
    }

    private long share(long limit) {
        int partitions = redis.topology().partitions();
        return limit == 0 ? 0 : (limit + partitions - 1) / partitions;
    }

    private List<String> arguments(List<Event> events, AppendKey key) {
        List<String> args = new ArrayList<>();
        // The limits are the broker's: each partition gets its share.
        args.add(Long.toString(share(settings.maxBacklogEvents())));
        args.add(Long.toString(share(bounds.maxBacklogBytes())));
        args.add(Integer.toString(events.size()));
        args.add(key == null ? "" : key.fingerprint());
        args.add(key == null ? "0" : Long.toString(Math.max(1, key.ttl().toSeconds())));
        for (int from = 0; from < events.size(); from += settings.entryMaxEvents()) {
            List<Event> chunk = events.subList(from, Math.min(events.size(), from + settings.entryMaxEvents()));
            args.add(Integer.toString(chunk.size()));
            args.add(EntryCodec.encode(chunk));
        }
        return args;
    }
}
