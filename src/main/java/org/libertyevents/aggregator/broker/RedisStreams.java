package org.libertyevents.aggregator.broker;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.libertyevents.aggregator.config.BrokerBounds;
import org.libertyevents.aggregator.config.BrokerSettings;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamConsumersInfo;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.StreamPendingEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The consumer group's Redis commands on the broker's partitions ({@link StreamKeys}), each on one partition (on a
 * cluster, one slot), and the backlog counters summed over them. Changes that must not be seen half done run as
 * {@link LuaScript Lua scripts}, which Redis executes atomically. Appends are {@link BrokerAppends}'.
 *
 * <p>{@link #counts} is on the stats path and carries MicroProfile Fault Tolerance: a bounded wait, and a circuit
 * breaker that answers at once while Redis is down. The consumers' calls have none, since their loop retries.
 */
@ApplicationScoped
public class RedisStreams {

    /** Where the backlog counters stand, over every partition. */
    public record Counts(long backlog, long deadLettered) {
    }

    @Inject
    private BrokerSettings settings;

    @Inject
    private BrokerBounds bounds;

    @Inject
    private BrokerRedis broker;

    private UnifiedJedis redis;

    @PostConstruct
    void connect() {
        redis = broker.client();
    }

    /** True when a broker is configured. */
    public boolean enabled() {
        return broker.enabled();
    }

    /** The backlog counters of every partition, read together (one round trip per node). */
    @Timeout(3000)
    @Retry(maxRetries = 1, delay = 100, jitter = 0, abortOn = CircuitBreakerOpenException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2000, successThreshold = 1)
    public Counts counts() {
        List<StreamKeys> partitions = broker.consumed();
        List<Response<List<String>>> replies = new ArrayList<>(partitions.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            partitions.forEach(p -> replies.add(pipeline.mget(p.backlog(), p.deadCount())));
            pipeline.sync();
        }
        long backlog = 0;
        long dead = 0;
        for (Response<List<String>> reply : replies) {
            List<String> values = RedisReplies.of(reply);
            backlog += RedisReplies.counter(values.get(0));
            dead += RedisReplies.counter(values.get(1));
        }
        return new Counts(backlog, dead);
    }

    /**
     * Creates the consumer group on every partition, and their streams with it, where missing; from each stream's
     * first entry.
     *
     * @return the partitions to consume ({@link BrokerRedis#consumed})
     */
    List<StreamKeys> ensureGroups() {
        List<StreamKeys> partitions = broker.consumed();
        partitions.forEach(this::ensureGroup);
        return partitions;
    }

    private void ensureGroup(StreamKeys partition) {
        try {
            redis.xgroupCreate(partition.stream(), settings.group(), new StreamEntryID(0, 0), true);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** True for the error a read gets when the stream or group is gone (Redis lost its data, say). */
    static boolean missingGroup(RuntimeException e) {
        return e instanceof JedisDataException && e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
    }

    /**
     * Reads entries of these partitions (one {@link BrokerRedis#readGroups read group}) for a consumer: with
     * {@code history}, those delivered to it and not acknowledged yet; otherwise new entries, waiting up to
     * {@code block} for some (not at all when it is zero).
     *
     * @return the entries read, by partition; partitions without any are left out
     */
    Map<StreamKeys, List<StreamEntry>> read(String consumer, List<StreamKeys> partitions, boolean history,
                                            Duration block) {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(settings.readEntries());
        if (!history && !block.isZero()) {
            params.block(Math.toIntExact(block.toMillis()));
        }
        StreamEntryID from = history ? new StreamEntryID(0, 0) : StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY;
        Map<String, StreamEntryID> streams = new LinkedHashMap<>();
        Map<String, StreamKeys> byName = new HashMap<>();
        for (StreamKeys partition : partitions) {
            streams.put(partition.stream(), from);
            byName.put(partition.stream(), partition);
        }
        var reply = redis.xreadGroup(settings.group(), consumer, params, streams);
        Map<StreamKeys, List<StreamEntry>> entries = new LinkedHashMap<>();
        if (reply != null) {
            reply.stream().filter(perStream -> !perStream.getValue().isEmpty())
                    .forEach(perStream -> entries.put(byName.get(perStream.getKey()), perStream.getValue()));
        }
        return entries;
    }

    /** Takes over up to one read's worth of entries that other consumers left unacknowledged too long. */
    Reclaimed reclaim(StreamKeys partition, String consumer, StreamEntryID cursor) {
        var reply = redis.xautoclaim(partition.stream(), settings.group(), consumer, settings.reclaimIdle().toMillis(),
                cursor, XAutoClaimParams.xAutoClaimParams().count(settings.readEntries()));
        return new Reclaimed(reply.getKey(), reply.getValue().stream().filter(e -> e.getFields() != null).toList());
    }

    /** Entries taken over from other consumers, and where the next scan starts. */
    record Reclaimed(StreamEntryID next, List<StreamEntry> entries) {
    }

    /** How many times each of these entries, held by {@code consumer}, has been delivered. */
    Map<StreamEntryID, Long> deliveries(StreamKeys partition, String consumer, List<StreamEntry> entries) {
        if (entries.isEmpty()) {
            return Map.of();
        }
        StreamEntryID first = entries.get(0).getID();
        StreamEntryID last = entries.get(entries.size() - 1).getID();
        Map<StreamEntryID, Long> counts = new HashMap<>();
        for (StreamPendingEntry pending : redis.xpending(partition.stream(), settings.group(),
                XPendingParams.xPendingParams(first, last, entries.size() * 2).consumer(consumer))) {
            counts.put(pending.getID(), pending.getDeliveredTimes());
        }
        return counts;
    }

    /**
     * Resets the idle time of entries this consumer is still working on, so no other consumer takes them, and
     * returns those it still holds (another consumer may have taken some over meanwhile).
     */
    Set<StreamEntryID> renew(StreamKeys partition, String consumer, List<StreamEntryID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<String> args = new ArrayList<>(ids.size() + 2);
        args.add(settings.group());
        args.add(consumer);
        ids.forEach(id -> args.add(id.toString()));
        List<?> held = (List<?>) redis.eval(LuaScript.RENEW.source(), List.of(partition.stream()), args);
        return held.stream().map(id -> new StreamEntryID(RedisReplies.text(id))).collect(Collectors.toSet());
    }

    /** Acknowledges entries and takes their events and bytes off the backlog. */
    void acknowledge(StreamKeys partition, List<EntryCounts> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(entries.size() * 3 + 1);
        args.add(settings.group());
        for (EntryCounts entry : entries) {
            args.add(entry.id().toString());
            args.add(Integer.toString(entry.events()));
            args.add(Long.toString(entry.bytes()));
        }
        redis.eval(LuaScript.ACKNOWLEDGE.source(),
                List.of(partition.stream(), partition.backlog(), partition.backlogBytes()), args);
    }

    /** Moves an entry to the dead-letter stream with the reason; false if another consumer acknowledged it. */
    boolean deadLetter(StreamKeys partition, StreamEntry entry, String reason) {
        EntryCounts counts = EntryCounts.of(entry);
        String body = entry.getFields() == null ? "" : entry.getFields().getOrDefault("events", "");
        return RedisReplies.number(redis.eval(LuaScript.DEAD_LETTER.source(),
                List.of(partition.stream(), partition.backlog(), partition.dead(), partition.deadCount(),
                        partition.backlogBytes()),
                List.of(settings.group(), entry.getID().toString(), Integer.toString(counts.events()), body, reason,
                        Long.toString(counts.bytes()), Long.toString(bounds.deadLetterMaxEntries())))) == 1;
    }

    /** Trims acknowledged entries; see {@link TrimResult}. */
    TrimResult trim(StreamKeys partition) {
        List<?> reply = (List<?>) redis.eval(LuaScript.TRIM.source(), List.of(partition.stream()),
                List.of(settings.group()));
        return new TrimResult(RedisReplies.text(reply.get(0)), RedisReplies.number(reply.get(1)),
                RedisReplies.number(reply.get(2)), RedisReplies.number(reply.get(3)));
    }

    /**
     * Removes consumers idle longer than {@code idle} that hold no entries: consumer names are per process, so the
     * names of processes gone for good would pile up in the group.
     */
    void removeIdleConsumers(StreamKeys partition, Duration idle, Set<String> own) {
        for (StreamConsumersInfo consumer : redis.xinfoConsumers(partition.stream(), settings.group())) {
            if (consumer.getIdle() > idle.toMillis() && consumer.getPending() == 0
                    && !own.contains(consumer.getName())) {
                removeConsumer(partition, consumer.getName());
            }
        }
    }

    /** Removes a consumer from the group unless it still holds entries. */
    void removeConsumer(StreamKeys partition, String consumer) {
        redis.eval(LuaScript.REMOVE_IDLE_CONSUMER.source(), List.of(partition.stream()),
                List.of(settings.group(), consumer));
    }
}
