package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;

/**
 * The embedded H2 database: one JDBC batch per group for the keys, one for the payloads of the keys taken. H2 has
 * no array unnesting with RETURNING, but its batch update counts say row by row whether {@code ON CONFLICT DO
 * NOTHING} inserted a key (1) or skipped it (0). As on
 * PostgreSQL, {@code seq} is drawn in arrival order but the keys go in in hash order: H2 makes a transaction that
 * meets a key another has inserted and not committed wait for it, so two transactions taking shared keys in
 * opposite orders would each wait for the other until H2's lock timeout.
 */
final class H2Writer implements DialectWriter {

    private static final String INSERT_KEY = """
            INSERT INTO event_keys (key_hash, first_seen, payload_hash) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING""";

    private static final String INSERT_EVENT = """
            INSERT INTO events (seq, topic, event_id, event_time, source, payload, received_at, attributes,
                                traceparent, tracestate)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String DRAW_SEQ = "SELECT NEXT VALUE FOR events_seq FROM SYSTEM_RANGE(1, ?)";

    /**
     * A topic's counter row, created when missing. Not a {@code MERGE}: it reads the table as committed, so two
     * transactions that count a new topic at once both take its {@code NOT MATCHED} branch, and the second insert
     * fails with a unique violation (23505, a 500 for the request). {@code ON CONFLICT DO NOTHING} waits instead for
     * the transaction holding the new key and then skips it, as PostgreSQL's does.
     */
    private static final String CREATE_COUNTERS = """
            INSERT INTO topic_stats (topic, unique_count, duplicate_count, conflict_count) VALUES (?, 0, 0, 0)
            ON CONFLICT DO NOTHING""";

    /** Locks the committed counter row, so concurrent increments add up. */
    private static final String ADD_TO_COUNTERS = """
            UPDATE topic_stats SET unique_count = unique_count + ?, duplicate_count = duplicate_count + ?,
                                   conflict_count = conflict_count + ?
            WHERE topic = ?""";

    private static final String STORED_HASH = "SELECT payload_hash FROM event_keys WHERE key_hash = ?";

    @Override
    public Set<EventKey> insertNew(Connection connection, List<Event> events, List<String> payloadHashes)
            throws SQLException {
        long[] seq = drawSeq(connection, events.size());
        UUID[] keyHashes = new UUID[events.size()];
        Arrays.setAll(keyHashes, i -> KeyHash.of(events.get(i).key()));
        Integer[] keyOrder = new Integer[events.size()];
        Arrays.setAll(keyOrder, i -> i);
        Arrays.sort(keyOrder, Comparator.comparing(i -> keyHashes[i]));
        Set<EventKey> inserted = new HashSet<>(events.size() * 2);
        try (PreparedStatement keys = connection.prepareStatement(INSERT_KEY);
             PreparedStatement payloads = connection.prepareStatement(INSERT_EVENT)) {
            for (int i : keyOrder) {
                Event event = events.get(i);
                keys.setObject(1, keyHashes[i]);
                keys.setObject(2, event.receivedAt().atOffset(ZoneOffset.UTC));
                keys.setString(3, payloadHashes.get(i));
                keys.addBatch();
            }
            int[] counts = keys.executeBatch();
            for (int row = 0; row < counts.length; row++) {
                if (counts[row] == 0) {
                    continue;
                }
                int i = keyOrder[row];
                Event event = events.get(i);
                inserted.add(event.key());
                payloads.setLong(1, seq[i]);
                payloads.setString(2, event.topic());
                payloads.setString(3, event.eventId());
                payloads.setObject(4, event.timestamp().atOffset(ZoneOffset.UTC));
                payloads.setString(5, event.source());
                payloads.setString(6, event.payload());
                payloads.setObject(7, event.receivedAt().atOffset(ZoneOffset.UTC));
                payloads.setString(8, event.attributes());
                payloads.setString(9, event.trace() == null ? null : event.trace().traceparent());
                payloads.setString(10, event.trace() == null ? null : event.trace().tracestate());
                payloads.addBatch();
            }
            if (!inserted.isEmpty()) {
                payloads.executeBatch();
            }
        }
        return inserted;
    }

    /** {@code count} values of the events' sequence, ascending: the i-th for the i-th event in arrival order. */
    private static long[] drawSeq(Connection connection, int count) throws SQLException {
        long[] seq = new long[count];
        try (PreparedStatement draw = connection.prepareStatement(DRAW_SEQ)) {
            draw.setInt(1, count);
            try (ResultSet rows = draw.executeQuery()) {
                for (int i = 0; i < count && rows.next(); i++) {
                    seq[i] = rows.getLong(1);
                }
            }
        }
        Arrays.sort(seq);
        return seq;
    }

    /** A look-up per key: the embedded database runs in process, so a round trip costs next to nothing. */
    @Override
    public Map<EventKey, String> storedHashes(Connection connection, List<EventKey> keys) throws SQLException {
        Map<EventKey, String> hashes = new HashMap<>(keys.size() * 2);
        try (PreparedStatement select = connection.prepareStatement(STORED_HASH)) {
            for (EventKey key : keys) {
                select.setObject(1, KeyHash.of(key));
                try (ResultSet row = select.executeQuery()) {
                    if (row.next() && row.getString(1) != null) {
                        hashes.put(key, row.getString(1));
                    }
                }
            }
        }
        return hashes;
    }

    /** Both statements in topic order (the map is sorted): concurrent transactions lock counter rows in one order. */
    @Override
    public void addToCounters(Connection connection, SortedMap<String, GroupPlan.TopicDelta> deltas)
            throws SQLException {
        try (PreparedStatement create = connection.prepareStatement(CREATE_COUNTERS);
             PreparedStatement add = connection.prepareStatement(ADD_TO_COUNTERS)) {
            for (var entry : deltas.entrySet()) {
                create.setString(1, entry.getKey());
                create.addBatch();
                add.setLong(1, entry.getValue().unique);
                add.setLong(2, entry.getValue().duplicates);
                add.setLong(3, entry.getValue().conflicts);
                add.setString(4, entry.getKey());
                add.addBatch();
            }
            create.executeBatch();
            add.executeBatch();
        }
    }
}
