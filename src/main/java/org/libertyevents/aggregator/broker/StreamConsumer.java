package org.libertyevents.aggregator.broker;

import org.libertyevents.aggregator.config.BrokerSettings;
import org.libertyevents.aggregator.ingest.IngestPipeline;
import org.libertyevents.aggregator.store.Delivery;
import org.libertyevents.aggregator.store.DeliveryResult;
import org.libertyevents.aggregator.store.StoreException;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One consumer of the group: reads entries, stores their events through the same store path as a synchronous
 * publish, and acknowledges them only after the transaction committed. It starts with the entries delivered to
 * it before and never acknowledged, takes over entries other consumers left idle too long, and keeps a batch the
 * database cannot take right now (retrying it, and renewing its claim so no other consumer takes it meanwhile)
 * rather than letting its delivery count grow towards the dead-letter limit.
 */
final class StreamConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class.getName());
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String name;
    private final BrokerSettings settings;
    private final RedisStreams streams;
    private final IngestPipeline pipeline;
    private final BrokerMetrics metrics;
    private final BooleanSupplier running;

    private boolean groupReady;
    /** Whether entries delivered to this consumer earlier may still be unacknowledged. */
    private boolean history = true;
    private StreamEntryID reclaimCursor = new StreamEntryID(0, 0);
    private long nextReclaimNanos = System.nanoTime();
    private int failures;

    StreamConsumer(String name, BrokerSettings settings, RedisStreams streams, IngestPipeline pipeline,
                   BrokerMetrics metrics, BooleanSupplier running) {
        this.name = name;
        this.settings = settings;
        this.streams = streams;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.running = running;
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        LOG.info(() -> "Broker consumer " + name + " started on stream " + streams.stream());
        while (running.getAsBoolean()) {
            try {
                if (!groupReady) {
                    streams.ensureGroup();
                    groupReady = true;
                }
                List<StreamEntry> entries = nextEntries();
                if (!entries.isEmpty()) {
                    process(entries);
                }
                recovered();
            } catch (JedisException e) {
                if (RedisStreams.missingGroup(e)) {
                    groupReady = false;
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

    private List<StreamEntry> nextEntries() {
        if (history) {
            List<StreamEntry> mine = streams.read(name, true);
            if (!mine.isEmpty()) {
                return mine;
            }
            history = false;
        }
        if (System.nanoTime() - nextReclaimNanos >= 0) {
            nextReclaimNanos = System.nanoTime() + Math.max(settings.reclaimIdle().toNanos() / 2,
                    TimeUnit.SECONDS.toNanos(1));
            List<StreamEntry> claimed = reclaim();
            if (!claimed.isEmpty()) {
                return claimed;
            }
        }
        return streams.read(name, false);
    }

    private List<StreamEntry> reclaim() {
        RedisStreams.Reclaimed reclaimed = streams.reclaim(name, reclaimCursor);
        reclaimCursor = reclaimed.next();
        List<StreamEntry> entries = reclaimed.entries();
        if (entries.isEmpty()) {
            return entries;
        }
        metrics.reclaimed(entries.size());
        LOG.info(() -> "Broker consumer " + name + " took over " + entries.size()
                + " entries left unacknowledged for over " + settings.reclaimIdle().toSeconds() + " s");
        Map<StreamEntryID, Long> deliveries = streams.deliveries(name, entries);
        List<StreamEntry> workable = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            long delivered = deliveries.getOrDefault(entry.getID(), 0L);
            if (delivered > settings.maxDeliveries()) {
                deadLetter(entry, "delivered " + delivered + " times without being acknowledged");
            } else {
                workable.add(entry);
            }
        }
        return workable;
    }

    private void process(List<StreamEntry> entries) {
        List<Pending> batch = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            try {
                String body = entry.getFields() == null ? null : entry.getFields().get("events");
                batch.add(new Pending(entry, new Delivery(entry.getID().toString(), EntryCodec.decode(body))));
            } catch (IllegalArgumentException e) {
                deadLetter(entry, e.getMessage());
            }
        }
        // One order for every consumer, so that two transactions over the same entries lock them alike.
        batch.sort(Comparator.comparing(pending -> pending.entry().getID()));
        while (!batch.isEmpty()) {
            try {
                commit(batch);
                return;
            } catch (StoreException e) {
                if (!running.getAsBoolean()) {
                    return;
                }
                failed("the database", e);
                streams.renew(name, batch.stream().map(pending -> pending.entry().getID()).toList());
            }
        }
    }

    /**
     * Stores and acknowledges a batch. A batch the database refuses is split, so that only the entry it refuses on
     * its own goes to the dead-letter stream.
     */
    private void commit(List<Pending> batch) {
        try {
            DeliveryResult result = pipeline.storeDelivered(streams.stream(),
                    batch.stream().map(Pending::delivery).toList(), () -> streams.acknowledge(acknowledgements(batch)));
            if (result.redelivered() > 0) {
                metrics.redelivered(result.redelivered());
            }
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.REJECTED) {
                throw e;
            }
            if (batch.size() == 1) {
                deadLetter(batch.get(0).entry(), "refused by the database: " + e.getMessage());
                return;
            }
            for (Pending pending : batch) {
                commit(List.of(pending));
            }
        }
    }

    private static List<RedisStreams.Acknowledgement> acknowledgements(List<Pending> batch) {
        return batch.stream().map(pending -> new RedisStreams.Acknowledgement(pending.entry().getID(),
                pending.delivery().events().size(), RedisStreams.bytes(pending.entry()))).toList();
    }

    private void deadLetter(StreamEntry entry, String reason) {
        int events = eventCount(entry);
        if (streams.deadLetter(entry, events, reason)) {
            metrics.deadLettered();
            LOG.severe(() -> "Broker entry " + entry.getID() + " (" + events + " events) moved to the dead-letter "
                    + "stream " + streams.stream() + ":dead: " + reason);
        }
    }

    private static int eventCount(StreamEntry entry) {
        if (entry.getFields() == null) {
            return 0;
        }
        try {
            return Integer.parseInt(entry.getFields().getOrDefault("n", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
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
