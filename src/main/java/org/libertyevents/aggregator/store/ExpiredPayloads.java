package org.libertyevents.aggregator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deletes expired payloads row by row, a bounded batch per transaction, where no partition can be dropped: every
 * payload on H2, the default partition's on PostgreSQL. Counted from what the deletes removed, so that two instances
 * sweeping at once never count a payload twice.
 */
final class ExpiredPayloads {

    private static final String POSTGRES_DELETE = """
            DELETE FROM events_default WHERE ctid IN (
                SELECT ctid FROM events_default WHERE received_at < ? LIMIT ?)
            RETURNING topic""";

    private static final String H2_SELECT = "SELECT seq, topic FROM events WHERE received_at < ? LIMIT ?";
    private static final String H2_DELETE = "DELETE FROM events WHERE seq = ?";

    private ExpiredPayloads() {
    }

    /** Deletes up to {@code limit} payloads received before {@code cutoff}; how many of each topic went. */
    static Map<String, Long> delete(Dialect dialect, Connection connection, Instant cutoff, int limit)
            throws SQLException {
        return dialect == Dialect.POSTGRESQL ? deleteOnPostgres(connection, cutoff, limit)
                : deleteOnH2(connection, cutoff, limit);
    }

    private static Map<String, Long> deleteOnPostgres(Connection connection, Instant cutoff, int limit)
            throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (PreparedStatement delete = connection.prepareStatement(POSTGRES_DELETE)) {
            delete.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
            delete.setInt(2, limit);
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    counts.merge(rows.getString(1), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static Map<String, Long> deleteOnH2(Connection connection, Instant cutoff, int limit)
            throws SQLException {
        List<Long> seqs = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(H2_SELECT)) {
            select.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    seqs.add(rows.getLong(1));
                    topics.add(rows.getString(2));
                }
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        if (seqs.isEmpty()) {
            return counts;
        }
        try (PreparedStatement delete = connection.prepareStatement(H2_DELETE)) {
            for (long seq : seqs) {
                delete.setLong(1, seq);
                delete.addBatch();
            }
            int[] deleted = delete.executeBatch();
            for (int i = 0; i < deleted.length; i++) {
                if (deleted[i] > 0) {
                    counts.merge(topics.get(i), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** Adds the counts to the topics' {@code column} ({@code expired_count}, {@code erased_count}), in topic order. */
    static void count(Connection connection, String column, Map<String, Long> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (PreparedStatement add = connection.prepareStatement(
                "UPDATE topic_stats SET " + column + " = " + column + " + ? WHERE topic = ?")) {
            for (var entry : new TreeMap<>(counts).entrySet()) {
                add.setLong(1, entry.getValue());
                add.setString(2, entry.getKey());
                add.addBatch();
            }
            add.executeBatch();
        }
    }
}
