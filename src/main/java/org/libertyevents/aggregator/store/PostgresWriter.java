package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * PostgreSQL: one statement per group whatever its size, for keys and payloads together. The columns travel as arrays and are unnested, so the
 * statement text never changes and stays prepared; {@code ON CONFLICT DO NOTHING} lets the unique constraint drop
 * duplicates without an exception, and {@code RETURNING} says which rows went in.
 */
final class PostgresWriter implements DialectWriter {

    /**
     * The keys go into {@code event_keys}, whose primary key drops the ones taken; the payloads of the keys it took go
     * into {@code events}, in the same statement. {@code seq} is drawn in arrival order, but the keys go in in key
     * order: concurrent transactions (several writers, broker consumers, instances) then take their row locks on
     * shared keys in one order and cannot deadlock. PostgreSQL evaluates {@code nextval} after the {@code ORDER BY}
     * of its query, and the volatile CTE is computed once.
     */
    private static final String INSERT_EVENTS = """
            WITH input AS (
                SELECT t.*, nextval('events_seq') AS seq
                FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                            CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                     WITH ORDINALITY
                     AS t(topic, event_id, event_time, source, payload, received_at, payload_hash, attributes, ord)
                ORDER BY t.ord),
            taken AS (
                INSERT INTO event_keys (first_seen, topic, event_id, payload_hash)
                SELECT CAST(received_at AS timestamptz), topic, event_id, decode(payload_hash, 'hex')
                FROM input
                ORDER BY topic, event_id
                ON CONFLICT DO NOTHING
                RETURNING topic, event_id)
            INSERT INTO events (seq, topic, event_id, event_time, source, payload, received_at, attributes)
            SELECT i.seq, i.topic, i.event_id, CAST(i.event_time AS timestamptz), i.source, CAST(i.payload AS jsonb),
                   CAST(i.received_at AS timestamptz), CAST(i.attributes AS jsonb)
            FROM input i JOIN taken k ON k.topic = i.topic AND k.event_id = i.event_id
            RETURNING topic, event_id""";

    private static final String ADD_TO_COUNTERS = """
            INSERT INTO topic_stats (topic, unique_count, duplicate_count, conflict_count)
            SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
            ON CONFLICT (topic) DO UPDATE
            SET unique_count = topic_stats.unique_count + EXCLUDED.unique_count,
                duplicate_count = topic_stats.duplicate_count + EXCLUDED.duplicate_count,
                conflict_count = topic_stats.conflict_count + EXCLUDED.conflict_count""";

    private static final String STORED_HASHES = """
            SELECT e.topic, e.event_id, encode(e.payload_hash, 'hex')
            FROM event_keys e
            JOIN unnest(CAST(? AS text[]), CAST(? AS text[])) AS k(topic, event_id)
              ON e.topic = k.topic AND e.event_id = k.event_id""";

    @Override
    public Set<EventKey> insertNew(Connection connection, List<Event> events, List<String> payloadHashes)
            throws SQLException {
        int n = events.size();
        String[] topics = new String[n];
        String[] ids = new String[n];
        String[] times = new String[n];
        String[] sources = new String[n];
        String[] payloads = new String[n];
        String[] receivedAt = new String[n];
        String[] attributes = new String[n];
        for (int i = 0; i < n; i++) {
            Event event = events.get(i);
            topics[i] = event.topic();
            ids[i] = event.eventId();
            times[i] = event.timestamp().toString();
            sources[i] = event.source();
            payloads[i] = event.payload();
            receivedAt[i] = event.receivedAt().toString();
            attributes[i] = event.attributes();
        }
        Set<EventKey> inserted = new HashSet<>(n * 2);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
            String[][] columns = {topics, ids, times, sources, payloads, receivedAt,
                payloadHashes.toArray(String[]::new), attributes};
            for (int c = 0; c < columns.length; c++) {
                insert.setArray(c + 1, connection.createArrayOf("text", columns[c]));
            }
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(new EventKey(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return inserted;
    }

    @Override
    public Map<EventKey, String> storedHashes(Connection connection, List<EventKey> keys) throws SQLException {
        Map<EventKey, String> hashes = new HashMap<>(keys.size() * 2);
        try (PreparedStatement select = connection.prepareStatement(STORED_HASHES)) {
            select.setArray(1, connection.createArrayOf("text", keys.stream().map(EventKey::topic).toArray()));
            select.setArray(2, connection.createArrayOf("text", keys.stream().map(EventKey::eventId).toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (rows.getString(3) != null) {
                        hashes.put(new EventKey(rows.getString(1), rows.getString(2)), rows.getString(3));
                    }
                }
            }
        }
        return hashes;
    }

    @Override
    public void addToCounters(Connection connection, SortedMap<String, GroupPlan.TopicDelta> deltas)
            throws SQLException {
        int n = deltas.size();
        String[] topics = new String[n];
        Long[] unique = new Long[n];
        Long[] duplicates = new Long[n];
        Long[] conflicts = new Long[n];
        int i = 0;
        for (var entry : deltas.entrySet()) {
            topics[i] = entry.getKey();
            unique[i] = entry.getValue().unique;
            duplicates[i] = entry.getValue().duplicates;
            conflicts[i] = entry.getValue().conflicts;
            i++;
        }
        try (PreparedStatement upsert = connection.prepareStatement(ADD_TO_COUNTERS)) {
            upsert.setArray(1, connection.createArrayOf("text", topics));
            upsert.setArray(2, connection.createArrayOf("bigint", unique));
            upsert.setArray(3, connection.createArrayOf("bigint", duplicates));
            upsert.setArray(4, connection.createArrayOf("bigint", conflicts));
            upsert.executeUpdate();
        }
    }
}
