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

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One consumer of the group, on every partition: takes the entries its {@link EntrySource} picks, stores their events
 * through the same store path as a synchronous publish, and acknowledges them only after the transaction committed.
 * It keeps a batch the database cannot take right now (retrying it, and renewing its claim so no other consumer takes
 * it meanwhile) rather than letting its delivery count grow towards the dead-letter limit.
 */
final class StreamConsumer implements Runnable {

    private static final Logger LOG = Logger.getLogger(StreamConsumer.class.getName());

    private final String name;
    private final RedisStreams streams;
    private final BrokerRedis redis;
    private final IngestPipeline pipeline;
    private final BrokerMetrics metrics;
    private final BooleanSupplier running;
    private final DeadLetters deadLetters;
    private final ConsumerBackoff backoff;
    private final EntrySource source;

    StreamConsumer(String name, BrokerSettings settings, RedisStreams streams, BrokerRedis redis,
                   IngestPipeline pipeline, EventStore store, BrokerMetrics metrics, BooleanSupplier running) {
        this.name = name;
        this.redis = redis;
        this.streams = streams;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.running = running;
        this.deadLetters = new DeadLetters(name, streams, store, metrics);
        this.backoff = new ConsumerBackoff(name);
        this.source = new EntrySource(name, settings, streams, redis, metrics, deadLetters, backoff);
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        LOG.info(() -> "Broker consumer " + name + " started on " + redis.describe());
        while (running.getAsBoolean()) {
            try {
                source.next().forEach(this::process);
                backoff.recovered();
            } catch (JedisException e) {
                if (RedisStreams.missingGroup(e)) {
                    source.groupsLost();
                }
                source.rereadOwn();
                backoff.failed("Redis", e);
            } catch (RuntimeException e) {
                // Not an outage we know: keep consuming (a dead consumer task would strand its entries silently).
                LOG.log(Level.WARNING, "Broker consumer " + name + " failed; retrying", e);
                source.rereadOwn();
                backoff.failed("the store", e);
            }
        }
        LOG.info(() -> "Broker consumer " + name + " stopped");
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
                backoff.failed("the database", e);
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

    /** A read entry and its decoded events. */
    private record Pending(StreamEntry entry, Delivery delivery) {
    }
}
