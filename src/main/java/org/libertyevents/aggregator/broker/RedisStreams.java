package org.libertyevents.aggregator.broker;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.libertyevents.aggregator.config.BrokerBounds;
import org.libertyevents.aggregator.config.BrokerSettings;
import org.libertyevents.aggregator.event.Event;
import redis.clients.jedis.RedisClient;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every Redis command the broker uses, on one pooled client. Changes that must not be seen half done run as
 * {@link LuaScript Lua scripts}, which Redis executes atomically.
 *
 * <p>The keys are the stream's {@link StreamKeys}.
 *
 * <p>The calls on the publish and stats paths carry MicroProfile Fault Tolerance: a bounded wait, and a circuit
 * breaker that answers at once while Redis is down. The consumers' calls have none, since their loop retries.
 */
@ApplicationScoped
public class RedisStreams {

    /** Where the backlog counters stand. */
    public record Counts(long backlog, long deadLettered) {
    }

    @Inject
    private BrokerSettings settings;

    @Inject
    private BrokerBounds bounds;

    @Inject
    private BrokerMetrics metrics;

    private RedisClient redis;
    private StreamKeys keys;
    private String stream;

    @PostConstruct
    void connect() {
        keys = StreamKeys.of(settings.stream());
        stream = keys.stream();
        settings.uri().ifPresent(uri -> redis = RedisClients.pooled(uri, settings));
    }

    @PreDestroy
    void close() {
        if (redis != null) {
            redis.close();
        }
    }

    /** True when a Redis URL is configured. */
    public boolean enabled() {
        return redis != null;
    }

    public String stream() {
        return stream;
    }

    /**
     * Appends the events as entries of at most {@link BrokerSettings#entryMaxEvents()} events each, atomically.
     * Returns once Redis has them (durable as far as Redis's own persistence settings make them). With a key, the
     * key's marker is set in the same step, so that the same request again is not appended twice.
     *
     * @param key the request's Idempotency-Key, or null
     * @return {@link Appended#BACKLOG_FULL}, with nothing appended, when the backlog would pass
     *         {@link BrokerSettings#maxBacklogEvents()} or {@link BrokerBounds#maxBacklogBytes()}
     */
    @Timeout(5000)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2000, successThreshold = 1)
    public Appended append(List<Event> events, AppendKey key) {
        long started = System.nanoTime();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(settings.maxBacklogEvents()));
        args.add(Long.toString(bounds.maxBacklogBytes()));
        args.add(Integer.toString(events.size()));
        args.add(key == null ? "" : key.fingerprint());
        args.add(key == null ? "0" : Long.toString(Math.max(1, key.ttl().toSeconds())));
        for (int from = 0; from < events.size(); from += settings.entryMaxEvents()) {
            List<Event> chunk = events.subList(from, Math.min(events.size(), from + settings.entryMaxEvents()));
            args.add(Integer.toString(chunk.size()));
            args.add(EntryCodec.encode(chunk));
        }
        String marker = key == null ? stream : keys.appendMarker(key.key());
        Appended appended = Appended.of(RedisReplies.number(redis.eval(LuaScript.APPEND.source(),
                List.of(stream, keys.backlog(), keys.backlogBytes(), marker), args)));
        metrics.appended(System.nanoTime() - started);
        return appended;
    }

    /** Drops the marker of a key whose answer is kept elsewhere now: a retry gets that answer, never an append. */
    @Timeout(3000)
    public void forget(AppendKey key) {
        redis.del(keys.appendMarker(key.key()));
    }

    /** The backlog counters, read together. */
    @Timeout(3000)
    @Retry(maxRetries = 1, delay = 100, jitter = 0, abortOn = CircuitBreakerOpenException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2000, successThreshold = 1)
    public Counts counts() {
        List<String> values = redis.mget(keys.backlog(), keys.deadCount());
        return new Counts(RedisReplies.counter(values.get(0)), RedisReplies.counter(values.get(1)));
    }

    /** Answers PING, or throws. */
    public void ping() {
        redis.ping();
    }

    /** Creates the consumer group, and the stream with it, if missing; from the stream's first entry. */
    void ensureGroup() {
        try {
            redis.xgroupCreate(stream, settings.group(), new StreamEntryID(0, 0), true);
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
     * Reads entries for a consumer: with {@code history}, those delivered to it and not acknowledged yet (which
     * does not wait); otherwise new entries, waiting up to the block time for some.
     */
    List<StreamEntry> read(String consumer, boolean history) {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(settings.readEntries());
        if (!history) {
            params.block(Math.toIntExact(settings.block().toMillis()));
        }
        StreamEntryID from = history ? new StreamEntryID(0, 0) : StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY;
        var reply = redis.xreadGroup(settings.group(), consumer, params, Map.of(stream, from));
        if (reply == null || reply.isEmpty()) {
            return List.of();
        }
        List<StreamEntry> entries = new ArrayList<>();
        reply.forEach(perStream -> entries.addAll(perStream.getValue()));
        return entries;
    }

    /** Takes over up to one read's worth of entries that other consumers left unacknowledged too long. */
    Reclaimed reclaim(String consumer, StreamEntryID cursor) {
        var reply = redis.xautoclaim(stream, settings.group(), consumer, settings.reclaimIdle().toMillis(), cursor,
                XAutoClaimParams.xAutoClaimParams().count(settings.readEntries()));
        return new Reclaimed(reply.getKey(), reply.getValue().stream().filter(e -> e.getFields() != null).toList());
    }

    /** Entries taken over from other consumers, and where the next scan starts. */
    record Reclaimed(StreamEntryID next, List<StreamEntry> entries) {
    }

    /** How many times each of these entries, held by {@code consumer}, has been delivered. */
    Map<StreamEntryID, Long> deliveries(String consumer, List<StreamEntry> entries) {
        if (entries.isEmpty()) {
            return Map.of();
        }
        StreamEntryID first = entries.get(0).getID();
        StreamEntryID last = entries.get(entries.size() - 1).getID();
        Map<StreamEntryID, Long> counts = new HashMap<>();
        for (StreamPendingEntry pending : redis.xpending(stream, settings.group(),
                XPendingParams.xPendingParams(first, last, entries.size() * 2).consumer(consumer))) {
            counts.put(pending.getID(), pending.getDeliveredTimes());
        }
        return counts;
    }

    /**
     * Resets the idle time of entries this consumer is still working on, so no other consumer takes them, and
     * returns those it still holds (another consumer may have taken some over meanwhile).
     */
    Set<StreamEntryID> renew(String consumer, List<StreamEntryID> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        List<String> args = new ArrayList<>(ids.size() + 2);
        args.add(settings.group());
        args.add(consumer);
        ids.forEach(id -> args.add(id.toString()));
        List<?> held = (List<?>) redis.eval(LuaScript.RENEW.source(), List.of(stream), args);
        return held.stream().map(id -> new StreamEntryID(RedisReplies.text(id))).collect(Collectors.toSet());
    }

    /** Acknowledges entries and takes their events and bytes off the backlog. */
    void acknowledge(List<EntryCounts> entries) {
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
        redis.eval(LuaScript.ACKNOWLEDGE.source(), List.of(stream, keys.backlog(), keys.backlogBytes()), args);
    }

    /** Moves an entry to the dead-letter stream with the reason; false if another consumer acknowledged it. */
    boolean deadLetter(StreamEntry entry, String reason) {
        EntryCounts counts = EntryCounts.of(entry);
        String body = entry.getFields() == null ? "" : entry.getFields().getOrDefault("events", "");
        return RedisReplies.number(redis.eval(LuaScript.DEAD_LETTER.source(),
                List.of(stream, keys.backlog(), keys.dead(), keys.deadCount(), keys.backlogBytes()),
                List.of(settings.group(), entry.getID().toString(), Integer.toString(counts.events()), body, reason,
                        Long.toString(counts.bytes()), Long.toString(bounds.deadLetterMaxEntries())))) == 1;
    }

    /** Trims acknowledged entries; see {@link TrimResult}. */
    TrimResult trim() {
        List<?> reply = (List<?>) redis.eval(LuaScript.TRIM.source(), List.of(stream), List.of(settings.group()));
        return new TrimResult(RedisReplies.text(reply.get(0)), RedisReplies.number(reply.get(1)),
                RedisReplies.number(reply.get(2)), RedisReplies.number(reply.get(3)));
    }

    /**
     * Removes consumers idle longer than {@code idle} that hold no entries: consumer names are per process, so the
     * names of processes gone for good would pile up in the group.
     */
    void removeIdleConsumers(Duration idle, Set<String> own) {
        for (StreamConsumersInfo consumer : redis.xinfoConsumers(stream, settings.group())) {
            if (consumer.getIdle() > idle.toMillis() && consumer.getPending() == 0
                    && !own.contains(consumer.getName())) {
                removeConsumer(consumer.getName());
            }
        }
    }

    /** Removes a consumer from the group unless it still holds entries. */
    void removeConsumer(String consumer) {
        redis.eval(LuaScript.REMOVE_IDLE_CONSUMER.source(), List.of(stream), List.of(settings.group(), consumer));
    }
}
