package org.libertyevents.aggregator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DDL of the payload partitions on PostgreSQL, recorded in {@code event_partitions}. Every statement that needs a
 * lock on the partitioned table waits for it at most {@value #LOCK_TIMEOUT} (a long read holding it would otherwise
 * queue every writer behind the DDL): what did not get its lock is done at a later pass.
 */
final class PostgresPartitions {

    private static final String LOCK_TIMEOUT = "500ms";

    private PostgresPartitions() {
    }

    static List<PayloadPartition> list(Connection connection) throws SQLException {
        List<PayloadPartition> partitions = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rows = select.executeQuery(
                     "SELECT name, received_from, received_to FROM event_partitions ORDER BY received_to")) {
            while (rows.next()) {
                Timestamp from = rows.getTimestamp(2);
                partitions.add(new PayloadPartition(rows.getString(1), from == null ? null : from.toInstant(),
                        rows.getTimestamp(3).toInstant()));
            }
        }
        return partitions;
    }

    /** Whether the partition is recorded: read under the partition lock, where another instance's work is done. */
    static boolean recorded(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM event_partitions WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    /**
     * Creates the partition as a table of its own with a check of its range, then attaches it: attaching takes a lock
     * that lets writers go on, and the check spares the scan of the new table.
     */
    static void create(Connection connection, PayloadPartition partition) throws SQLException {
        String from = literal(partition.from());
        String to = literal(partition.to());
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            ddl.execute("CREATE TABLE " + partition.name() + " (LIKE events INCLUDING DEFAULTS)");
            ddl.execute("ALTER TABLE " + partition.name() + " ADD CONSTRAINT " + partition.name()
                    + "_range CHECK (received_at >= " + from + " AND received_at < " + to + ")");
            ddl.execute("ALTER TABLE events ATTACH PARTITION " + partition.name() + " FOR VALUES FROM (" + from
                    + ") TO (" + to + ")");
            ddl.execute("ALTER TABLE " + partition.name() + " DROP CONSTRAINT " + partition.name() + "_range");
        }
        try (PreparedStatement record = connection.prepareStatement(
                "INSERT INTO event_partitions (name, received_from, received_to) VALUES (?, ?, ?)")) {
            record.setString(1, partition.name());
            record.setObject(2, partition.from().atOffset(ZoneOffset.UTC));
            record.setObject(3, partition.to().atOffset(ZoneOffset.UTC));
            record.executeUpdate();
        }
    }

    /**
     * Detaches and drops a partition, returning how many payloads of each topic it held. It is locked against
     * inserts first and counted while writers to the other partitions go on; only the detach holds up writers, for
     * the milliseconds to the commit.
     */
    static Map<String, Long> drop(Connection connection, PayloadPartition partition) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            ddl.execute("LOCK TABLE " + partition.name() + " IN SHARE MODE");
            try (ResultSet rows = ddl.executeQuery("SELECT topic, COUNT(*) FROM " + partition.name()
                    + " GROUP BY topic")) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            ddl.execute("ALTER TABLE events DETACH PARTITION " + partition.name());
            ddl.execute("DROP TABLE " + partition.name());
        }
        try (PreparedStatement forget = connection.prepareStatement("DELETE FROM event_partitions WHERE name = ?")) {
            forget.setString(1, partition.name());
            forget.executeUpdate();
        }
        return counts;
    }

    /** A timestamp literal for DDL, which takes no parameters; from an {@link Instant}, so nothing to escape. */
    private static String literal(Instant instant) {
        return "TIMESTAMPTZ '" + instant + "'";
    }
}
