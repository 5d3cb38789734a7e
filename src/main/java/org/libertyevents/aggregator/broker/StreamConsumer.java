package org.libertyevents.aggregator.broker;

import org.libertyevents.aggregator.config.BrokerSettings;
import org.libertyevents.aggregator.ingest.IngestPipeline;
import org.libertyevents.aggregator.store.Delivery;
import org.libertyevents.aggregator.store.DeliveryResult;
import org.libertyevents.aggregator.store.EventStore;
import org.libertyevents.aggregator.store.StoreException;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One consumer of the group, on every partition: reads entries, stores their events through the same store path as
 * a synchronous publish, and acknowledges them only after the transaction committed. It starts with the entries
 * delivered to it before and never acknowledged, takes over entries other consumers left idle too long, and keeps a
 * batch the database cannot take right now (retrying it, and renewing its claim so no other consumer takes it
 * meanwhile) rather than letting its delivery count grow towards the dead-letter limit.
 *
 * <p>On a standalone Redis one read covers every partition and waits up to the block time; on a cluster, where a
 * read covers one partition, it reads them in turn without waiting and, when none had anything, waits on the next
 * one for at most {@value #CLUSTER_BLOCK_MILLIS} ms, so an entry waits at most that long for a consumer that is idle.
 */
final class StreamConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class.getName());
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long CLUSTER_BLOCK_MILLIS = 100;

    private final String name;
    private final BrokerSettings settings;
    private final RedisStreams streams;
    private final BrokerRedis redis;
    private final IngestPipeline pipeline;
    private final BrokerMetrics metrics;
    private final BooleanSupplier running;
    private final DeadLetters deadLetters;

    /** The partitions to consume, once their groups exist; null until then. */
    private List<StreamKeys> partitions;
    private List<List<StreamKeys>> readGroups;
    /** The read group to wait on next. */
    private int nextGroup;
    /** Whether entries delivered to this consumer earlier may still be unacknowledged. */
    private boolean history = true;
    private final Map<StreamKeys, StreamEntryID> reclaimCursors = new HashMap<>();
    private long nextReclaimNanos = System.nanoTime();
    private int failures;

    StreamConsumer(String name, BrokerSettings settings, RedisStreams streams, BrokerRedis redis,
                   IngestPipeline pipeline, EventStore store, BrokerMetrics metrics, BooleanSupplier running) {
        this.name = name;
        this.redis = redis;
        this.settings = settings;
        this.streams = streams;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.running = running;
        this.deadLetters = new DeadLetters(name, streams, store, metrics);
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        LOG.info(() -> "Broker consumer " + name + " started on " + redis.describe());
        while (running.getAsBoolean()) {
            try {
                if (partitions == null) {
                    partitions = streams.ensureGroups();
                    readGroups = redis.readGroups(partitions);
                }
                nextEntries().forEach(this::process);
                recovered();
            } catch (JedisException e) {
                if (RedisStreams.missingGroup(e)) {
                    partitions = null;
                }
                // Whatever was read and not acknowledged is still ours in Redis: read it again once Redis is back.
                history = true;
                failed("Redis", e);
            } catch (RuntimeException e) {
                // Not an outage we know: keep consuming (a dead consumer task would strand its entries silently).
                LOG.log(Level.WARNING, "Broker consumer " + name + " failed; retrying", e);
                history = true;
                failed("the store", e);
            }
        }
        LOG.info(() -> "Broker consumer " + name + " stopped");
    }

    private Map<StreamKeys, List<StreamEntry>> nextEntries() {
        if (history) {
            for (List<StreamKeys> group : readGroups) {
                Map<StreamKeys, List<StreamEntry>> mine = streams.read(name, group, true, Duration.ZERO);
                if (!mine.isEmpty()) {
                    return mine;
                }
            }
            history = false;
        }
        if (System.nanoTime() - nextReclaimNanos >= 0) {
            nextReclaimNanos = System.nanoTime() + Math.max(settings.reclaimIdle().toNanos() / 2,
                    TimeUnit.SECONDS.toNanos(1));
            for (StreamKeys partition : partitions) {
                List<StreamEntry> claimed = reclaim(partition);
                if (!claimed.isEmpty()) {
                    return Map.of(partition, claimed);
                }
            }
        }
        if (readGroups.size() == 1) {
            return streams.read(name, readGroups.get(0), false, settings.block());
        }
        for (int i = 0; i < readGroups.size(); i++) {
            Map<StreamKeys, List<StreamEntry>> entries = streams.read(name, nextReadGroup(), false, Duration.ZERO);
            if (!entries.isEmpty()) {
                return entries;
            }
        }
        Duration block = settings.block().compareTo(Duration.ofMillis(CLUSTER_BLOCK_MILLIS)) < 0 ? settings.block()
                : Duration.ofMillis(CLUSTER_BLOCK_MILLIS);
        return streams.read(name, nextReadGroup(), false, block);
    }

    /** The read groups in turn, so that no partition waits behind a busy one. */
    private List<StreamKeys> nextReadGroup() {
        List<StreamKeys> group = readGroups.get(nextGroup);
        nextGroup = (nextGroup + 1) % readGroups.size();
        return group;
    }

    private List<StreamEntry> reclaim(StreamKeys partition) {
        RedisStreams.Reclaimed reclaimed = streams.reclaim(partition, name,
                reclaimCursors.getOrDefault(partition, new StreamEntryID(0, 0)));
        reclaimCursors.put(partition, reclaimed.next());
        List<StreamEntry> entries = reclaimed.entries();
        if (entries.isEmpty()) {
            return entries;
        }
        metrics.reclaimed(entries.size());
        LOG.info(() -> "Broker consumer " + name + " took over " + entries.size() + " entries of " + partition.stream()
                + " left unacknowledged for over " + settings.reclaimIdle().toSeconds() + " s");
        Map<StreamEntryID, Long> deliveries = streams.deliveries(partition, name, entries);
        List<StreamEntry> workable = new ArrayList<>(entries.size());
        List<StreamEntry> overLimit = new ArrayList<>();
        for (StreamEntry entry : entries) {
            (deliveries.getOrDefault(entry.getID(), 0L) > settings.maxDeliveries() ? overLimit : workable).add(entry);
        }
        if (!overLimit.isEmpty()) {
            try {
                deadLetters.settle(partition, overLimit, "delivered more than " + settings.maxDeliveries()
                        + " times without being acknowledged");
            } catch (StoreException e) {
                // Undecided: they stay pending with this consumer and come back at a later reclaim.
                failed("the database", e);
            }
        }
        return workable;
    }

    private void process(StreamKeys partition, List<StreamEntry> entries) {
        List<Pending> batch = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            try {
                String body = entry.getFields() == null ? null : entry.getFields().get("events");
                batch.add(new Pending(entry, new Delivery(entry.getID().toString(), EntryCodec.decode(body))));
            } catch (IllegalArgumentException e) {
                deadLetters.move(partition, entry, e.getMessage());
            }
        }
        // One order for every consumer, so that two transactions over the same entries lock them alike.
        batch.sort(Comparator.comparing(pending -> pending.entry().getID()));
        while (!batch.isEmpty()) {
            try {
                commit(partition, batch);
                return;
            } catch (StoreException e) {
                if (!running.getAsBoolean()) {
                    return;
                }
                failed("the database", e);
                Set<StreamEntryID> held = streams.renew(partition, name,
                        batch.stream().map(p -> p.entry().getID()).toList());
                // An entry another consumer took over meanwhile is theirs to settle.
                batch.removeIf(pending -> !held.contains(pending.entry().getID()));
            }
        }
    }

    /**
     * Stores and acknowledges a batch. A batch the database refuses is split, so that only the entry it refuses on
     * its own goes to the dead-letter stream.
     */
    private void commit(StreamKeys partition, List<Pending> batch) {
        try {
            DeliveryResult result = pipeline.storeDelivered(partition.stream(),
                    batch.stream().map(Pending::delivery).toList(), stored -> settle(partition, batch, stored));
            if (result.redelivered() > 0) {
                metrics.redelivered(result.redelivered());
            }
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.REJECTED) {
                throw e;
            }
            if (batch.size() == 1) {
                deadLetters.settle(partition, List.of(batch.get(0).entry()),
                        "refused by the database: " + e.getMessage());
                return;
            }
            for (Pending pending : batch) {
                commit(partition, List.of(pending));
            }
        }
    }

    /**
     * Acknowledges a stored batch; an entry whose receipt says an earlier delivery dead-lettered it goes to the
     * dead-letter stream instead (that delivery may have died before moving it).
     */
    private void settle(StreamKeys partition, List<Pending> batch, DeliveryResult result) {
        List<EntryCounts> acknowledged = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (result.deadLettered().contains(pending.delivery().entryId())) {
                deadLetters.move(partition, pending.entry(), "dead-lettered by an earlier delivery");
            } else {
                acknowledged.add(EntryCounts.of(pending.entry()));
            }
        }
        streams.acknowledge(partition, acknowledged);
    }

    private void failed(String what, RuntimeException e) {
        if (failures++ == 0) {
            LOG.warning(() -> "Broker consumer " + name + " cannot reach " + what + ", retrying: " + e.getMessage());
        }
        long backoff = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << Math.min(failures, 6));
        LockSupport.parkNanos(backoff);
    }

    private void recovered() {
        if (failures > 0) {
            LOG.info(() -> "Broker consumer " + name + " resumed after " + failures + " failed attempts");
            failures = 0;
        }
    }

    /** A read entry and its decoded events. */
    private record Pending(StreamEntry entry, Delivery delivery) {
    }
}
