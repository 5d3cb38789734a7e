package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * The embedded H2 database: one JDBC batch per group. H2 has no array unnesting with RETURNING, but its batch
 * update counts say row by row whether {@code ON CONFLICT DO NOTHING} inserted (1) or skipped (0).
 */
final class H2Writer implements DialectWriter {

    private static final String INSERT_EVENT = """
            INSERT INTO events (topic, event_id, event_time, source, payload, received_at, payload_hash, attributes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    private static final String ADD_TO_COUNTERS = """
            MERGE INTO topic_stats t
            USING (VALUES (CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)))
                  AS s(topic, u, d, c)
            ON t.topic = s.topic
            WHEN MATCHED THEN UPDATE SET unique_count = t.unique_count + s.u,
                                         duplicate_count = t.duplicate_count + s.d,
                                         conflict_count = t.conflict_count + s.c
            WHEN NOT MATCHED THEN INSERT (topic, unique_count, duplicate_count, conflict_count)
                                  VALUES (s.topic, s.u, s.d, s.c)""";

    private static final String STORED_HASH = "SELECT payload_hash FROM events WHERE topic = ? AND event_id = ?";

    @Override
    public Set<EventKey> insertNew(Connection connection, List<Event> events, List<String> payloadHashes)
            throws SQLException {
        Set<EventKey> inserted = new HashSet<>(events.size() * 2);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENT)) {
            for (int i = 0; i < events.size(); i++) {
                Event event = events.get(i);
                insert.setString(1, event.topic());
                insert.setString(2, event.eventId());
                insert.setObject(3, event.timestamp().atOffset(ZoneOffset.UTC));
                insert.setString(4, event.source());
                insert.setString(5, event.payload());
                insert.setObject(6, event.receivedAt().atOffset(ZoneOffset.UTC));
                insert.setString(7, payloadHashes.get(i));
                insert.setString(8, event.attributes());
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    inserted.add(events.get(i).key());
                }
            }
        }
        return inserted;
    }

    /** A look-up per key: the embedded database runs in process, so a round trip costs next to nothing. */
    @Override
    public Map<EventKey, String> storedHashes(Connection connection, List<EventKey> keys) throws SQLException {
        Map<EventKey, String> hashes = new HashMap<>(keys.size() * 2);
        try (PreparedStatement select = connection.prepareStatement(STORED_HASH)) {
            for (EventKey key : keys) {
                select.setString(1, key.topic());
                select.setString(2, key.eventId());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next() && row.getString(1) != null) {
                        hashes.put(key, row.getString(1));
                    }
                }
            }
        }
        return hashes;
    }

    @Override
    public void addToCounters(Connection connection, SortedMap<String, GroupPlan.TopicDelta> deltas)
            throws SQLException {
        try (PreparedStatement merge = connection.prepareStatement(ADD_TO_COUNTERS)) {
            for (var entry : deltas.entrySet()) {
                merge.setString(1, entry.getKey());
                merge.setLong(2, entry.getValue().unique);
                merge.setLong(3, entry.getValue().duplicates);
                merge.setLong(4, entry.getValue().conflicts);
                merge.addBatch();
            }
            merge.executeBatch();
        }
    }
}
