package org.libertyevents.aggregator.broker;

import org.libertyevents.aggregator.store.EventStore;
import org.libertyevents.aggregator.store.StoreException;
import redis.clients.jedis.resps.StreamEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Moves entries to the dead-letter stream for one consumer. The database decides first: a dead-letter receipt,
 * recorded only if the entry has none, so an entry that another delivery stored (or is storing: the receipts'
 * key makes the two wait for each other) is acknowledged instead, and a delivery that comes later finds the
 * decision and follows it. The move itself only happens to an entry still unacknowledged, so it happens once.
 */
final class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class.getName());

    private final String consumer;
    private final RedisStreams streams;
    private final EventStore store;
    private final BrokerMetrics metrics;

    DeadLetters(String consumer, RedisStreams streams, EventStore store, BrokerMetrics metrics) {
        this.consumer = consumer;
        this.streams = streams;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * Dead-letters these entries unless they are settled already; those another delivery stored are acknowledged.
     *
     * @throws StoreException when the database cannot decide now: the entries stay pending, to be tried again
     */
    void settle(StreamKeys partition, List<StreamEntry> entries, String reason) {
        Set<String> dead = store.settleAsDeadLetters(partition.stream(),
                entries.stream().map(entry -> entry.getID().toString()).toList());
        List<EntryCounts> stored = new ArrayList<>();
        for (StreamEntry entry : entries) {
            if (dead.contains(entry.getID().toString())) {
                move(partition, entry, reason);
            } else {
                stored.add(EntryCounts.of(entry));
            }
        }
        if (!stored.isEmpty()) {
            streams.acknowledge(partition, stored);
            LOG.info(() -> "Broker consumer " + consumer + " acknowledged " + stored.size() + " entries instead of "
                    + "dead-lettering them (" + reason + "): their events are stored");
        }
    }

    /** Moves an entry whose dead-letter receipt is recorded, or that nobody can store (it cannot be decoded). */
    void move(StreamKeys partition, StreamEntry entry, String reason) {
        if (streams.deadLetter(partition, entry, reason)) {
            metrics.deadLettered();
            LOG.severe(() -> "Broker entry " + entry.getID() + " (" + EntryCounts.of(entry).events() + " events) moved "
                    + "to the dead-letter stream " + partition.dead() + ": " + reason);
        }
    }
}
