package org.libertyevents.aggregator.broker;

import org.libertyevents.aggregator.config.BrokerSettings;
import org.libertyevents.aggregator.store.StoreException;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Which entries one consumer works on next, over every partition: first the entries delivered to it before and never
 * acknowledged, then, every half reclaim-idle time, the entries other consumers left idle too long (sending those
 * delivered too often to the dead letters), then new entries.
 *
 * <p>On a standalone Redis one read covers every partition and waits up to the block time; on a cluster, where a
 * read covers one partition, it reads them in turn without waiting and, when none had anything, waits on the next
 * one for at most {@value #CLUSTER_BLOCK_MILLIS} ms, so an entry waits at most that long for a consumer that is idle.
 */
final class EntrySource {

    private static final Logger LOG = Logger.getLogger(EntrySource.class.getName());
    private static final long CLUSTER_BLOCK_MILLIS = 100;

    private final String name;
    private final BrokerSettings settings;
    private final RedisStreams streams;
    private final BrokerRedis redis;
    private final BrokerMetrics metrics;
    private final DeadLetters deadLetters;
    private final ConsumerBackoff backoff;

    /** The partitions to consume, once their groups exist; null until then. */
    private List<StreamKeys> partitions;
    private List<List<StreamKeys>> readGroups;
    /** The read group to wait on next. */
    private int nextGroup;
    /** Whether entries delivered to this consumer earlier may still be unacknowledged. */
    private boolean history = true;
    private final Map<StreamKeys, StreamEntryID> reclaimCursors = new HashMap<>();
    private long nextReclaimNanos = System.nanoTime();

    EntrySource(String name, BrokerSettings settings, RedisStreams streams, BrokerRedis redis, BrokerMetrics metrics,
                DeadLetters deadLetters, ConsumerBackoff backoff) {
        this.name = name;
        this.settings = settings;
        this.streams = streams;
        this.redis = redis;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.backoff = backoff;
    }

    /** The next entries to work on, by partition; empty when none came within the block time. */
    Map<StreamKeys, List<StreamEntry>> next() {
        if (partitions == null) {
            partitions = streams.ensureGroups();
            readGroups = redis.readGroups(partitions);
        }
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

    /** After a failure: whatever was read and not acknowledged is still this consumer's, so read it again first. */
    void rereadOwn() {
        history = true;
    }

    /** After Redis lost the groups (a restart without persistence): create them again before the next read. */
    void groupsLost() {
        partitions = null;
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
                backoff.failed("the database", e);
            }
        }
        return workable;
    }
}
