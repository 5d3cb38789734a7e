package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/** The set-based SQL that writes a group on one database product. */
interface DialectWriter {

    /**
     * Inserts the events whose key is not taken yet, in order, each with its payload hash, and returns the keys it
     * inserted.
     */
    Set<EventKey> insertNew(Connection connection, List<Event> events, List<String> payloadHashes)
            throws SQLException;

    /** The payload hashes of the stored rows with these keys (a row stored before hashes were kept has none). */
    Map<EventKey, String> storedHashes(Connection connection, List<EventKey> keys) throws SQLException;

    /** Adds each topic's increments to its counters, creating the counter row the first time. */
    void addToCounters(Connection connection, SortedMap<String, GroupPlan.TopicDelta> deltas) throws SQLException;
}
