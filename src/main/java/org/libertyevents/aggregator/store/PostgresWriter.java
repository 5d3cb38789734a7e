package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;

/**
 * PostgreSQL: one statement per group whatever its size, for keys and payloads together. The columns travel as
 * arrays and are unnested, so the statement text never changes and stays prepared; {@code ON CONFLICT DO NOTHING}
 * lets the unique constraint drop duplicates without an exception, and {@code RETURNING} says which rows went in.
 */
final class PostgresWriter implements DialectWriter {

    /**
     * The keys go into {@code event_keys} (as their {@link KeyHash}), whose primary key drops the ones taken; the
     * payloads of the keys it took go into {@code events}, in the same statement. {@code seq} is drawn in arrival
     * order, but the keys go in in hash order: concurrent transactions (several writers, broker consumers, instances)
     * then take their row locks on shared keys in one order and cannot deadlock. PostgreSQL evaluates {@code nextval}
     * after the {@code ORDER BY} of its query, and the volatile CTE is computed once. Instants travel as microseconds
     * since the epoch, whole seconds and the rest added apart so that no step rounds (a float8 holds the seconds of
     * any year from 1 to 9999 exactly): formatting and parsing them as text cost both sides more than the rest of a
     * row.
     */
    private static final String INSERT_EVENTS = """
            WITH input AS (
                SELECT t.*, nextval('events_seq') AS seq,
                       to_timestamp(t.event_us / 1000000) + (t.event_us % 1000000) * INTERVAL '1 microsecond'
                           AS event_time,
                       to_timestamp(t.received_us / 1000000) + (t.received_us % 1000000) * INTERVAL '1 microsecond'
                           AS received_at
                FROM unnest(CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]),
                            CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]),
                            CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]))
                     WITH ORDINALITY
                     AS t(key_hash, topic, event_id, event_us, source, payload, received_us, payload_hash,
                          attributes, traceparent, tracestate, ord)
                ORDER BY t.ord),
            taken AS (
                INSERT INTO event_keys (key_hash, first_seen, payload_hash)
                SELECT key_hash, received_at, payload_hash
                FROM input
                ORDER BY key_hash
                ON CONFLICT DO NOTHING
                RETURNING key_hash)
            INSERT INTO events (seq, topic, event_id, event_time, source, payload, received_at, attributes,
                                traceparent, tracestate)
            SELECT i.seq, i.topic, i.event_id, i.event_time, i.source, CAST(i.payload AS jsonb), i.received_at,
                   CAST(i.attributes AS jsonb), i.traceparent, i.tracestate
            FROM input i JOIN taken k ON k.key_hash = i.key_hash
            RETURNING topic, event_id""";

    private static final String ADD_TO_COUNTERS = """
            INSERT INTO topic_stats (topic, unique_count, duplicate_count, conflict_count)
            SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[]))
            ON CONFLICT (topic) DO UPDATE
            SET unique_count = topic_stats.unique_count + EXCLUDED.unique_count,
                duplicate_count = topic_stats.duplicate_count + EXCLUDED.duplicate_count,
                conflict_count = topic_stats.conflict_count + EXCLUDED.conflict_count""";

    private static final String STORED_HASHES = """
            SELECT key_hash, payload_hash FROM event_keys
            WHERE key_hash = ANY (CAST(? AS uuid[])) AND payload_hash IS NOT NULL""";

    @Override
    public Set<EventKey> insertNew(Connection connection, List<Event> events, List<String> payloadHashes)
            throws SQLException {
        int n = events.size();
        String[] topics = new String[n];
        String[] ids = new String[n];
        Long[] times = new Long[n];
        String[] sources = new String[n];
        String[] payloads = new String[n];
        Long[] receivedAt = new Long[n];
        String[] attributes = new String[n];
        String[] traceparents = new String[n];
        String[] tracestates = new String[n];
        UUID[] keyHashes = new UUID[n];
        Long[] kept = new Long[n];
        for (int i = 0; i < n; i++) {
            Event event = events.get(i);
            keyHashes[i] = KeyHash.of(event.key());
            kept[i] = Long.parseUnsignedLong(payloadHashes.get(i), 16);
            topics[i] = event.topic();
            ids[i] = event.eventId();
            times[i] = micros(event.timestamp());
            sources[i] = event.source();
            payloads[i] = event.payload();
            receivedAt[i] = micros(event.receivedAt());
            attributes[i] = event.attributes();
            if (event.trace() != null) {
                traceparents[i] = event.trace().traceparent();
                tracestates[i] = event.trace().tracestate();
            }
        }
        Set<EventKey> inserted = new HashSet<>(n * 2);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_EVENTS)) {
            insert.setArray(1, connection.createArrayOf("uuid", keyHashes));
            insert.setArray(2, connection.createArrayOf("text", topics));
            insert.setArray(3, connection.createArrayOf("text", ids));
            insert.setArray(4, connection.createArrayOf("bigint", times));
            insert.setArray(5, connection.createArrayOf("text", sources));
            insert.setArray(6, connection.createArrayOf("text", payloads));
            insert.setArray(7, connection.createArrayOf("bigint", receivedAt));
            insert.setArray(8, connection.createArrayOf("bigint", kept));
            insert.setArray(9, connection.createArrayOf("text", attributes));
            insert.setArray(10, connection.createArrayOf("text", traceparents));
            insert.setArray(11, connection.createArrayOf("text", tracestates));
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(new EventKey(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return inserted;
    }

    /** Microseconds since the epoch: the instants are kept to the microsecond, as timestamptz keeps them. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    @Override
    public Map<EventKey, String> storedHashes(Connection connection, List<EventKey> keys) throws SQLException {
        Map<UUID, EventKey> byHash = new HashMap<>(keys.size() * 2);
        keys.forEach(key -> byHash.put(KeyHash.of(key), key));
        Map<EventKey, String> hashes = new HashMap<>(keys.size() * 2);
        try (PreparedStatement select = connection.prepareStatement(STORED_HASHES)) {
            select.setArray(1, connection.createArrayOf("uuid", byHash.keySet().toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    hashes.put(byHash.get(rows.getObject(1, UUID.class)), HexFormat.of().toHexDigits(rows.getLong(2)));
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
