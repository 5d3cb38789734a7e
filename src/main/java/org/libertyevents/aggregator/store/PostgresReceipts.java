package org.libertyevents.aggregator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Receipts on PostgreSQL. Recording takes a shared transaction-level advisory lock on the stream, pruning the
 * exclusive one: PostgreSQL queues lock requests in order, so a waiting prune holds off new recorders only until
 * the ones before it commit, and its {@code lock_timeout} bounds that wait when one of them stalls.
 */
final class PostgresReceipts implements ReceiptWriter {

    /** The advisory lock class of receipt floors (its second key is the stream's hash). */
    private static final int FLOOR_LOCK = 0x4C45_4132;
    /** How long a prune waits for recording transactions under way; it is tried again at the next pass. */
    private static final String PRUNE_LOCK_TIMEOUT = "SET LOCAL lock_timeout = '1s'";

    private static final String SHARED_LOCK = "SELECT pg_advisory_xact_lock_shared(" + FLOOR_LOCK + ", hashtext(?))";
    private static final String EXCLUSIVE_LOCK = "SELECT pg_advisory_xact_lock(" + FLOOR_LOCK + ", hashtext(?))";

    /** A statement of its own after the lock, so that its snapshot sees the floor of any prune committed before. */
    private static final String RECORD = """
            INSERT INTO broker_receipts (stream, entry_ms, entry_seq, outcome)
            SELECT CAST(? AS text), r.ms, r.seq, CAST(? AS char(1))
            FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) WITH ORDINALITY AS r(ms, seq, ord)
            WHERE r.ms >= COALESCE((SELECT floor_ms FROM broker_receipt_floors WHERE stream = ?), 0)
            ORDER BY r.ord
            ON CONFLICT DO NOTHING
            RETURNING entry_ms, entry_seq""";

    private static final String RAISE_FLOOR = """
            INSERT INTO broker_receipt_floors (stream, floor_ms) VALUES (?, ?)
            ON CONFLICT (stream) DO UPDATE SET floor_ms = GREATEST(broker_receipt_floors.floor_ms, EXCLUDED.floor_ms)""";

    private static final String DELETE_BELOW = "DELETE FROM broker_receipts WHERE stream = ? AND entry_ms < ?";

    @Override
    public Set<String> record(Connection connection, String stream, List<String> entryIds, Outcome outcome)
            throws SQLException {
        lock(connection, SHARED_LOCK, stream);
        Long[] millis = new Long[entryIds.size()];
        Long[] sequences = new Long[entryIds.size()];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = Delivery.millis(entryIds.get(i));
            sequences[i] = Delivery.sequence(entryIds.get(i));
        }
        Set<String> recorded = new HashSet<>(millis.length * 2);
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setString(1, stream);
            insert.setString(2, outcome.code);
            insert.setArray(3, connection.createArrayOf("bigint", millis));
            insert.setArray(4, connection.createArrayOf("bigint", sequences));
            insert.setString(5, stream);
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    recorded.add(rows.getLong(1) + "-" + rows.getLong(2));
                }
            }
        }
        return recorded;
    }

    @Override
    public void prune(Connection connection, String stream, long beforeMillis) throws SQLException {
        try (Statement timeout = connection.createStatement()) {
            timeout.execute(PRUNE_LOCK_TIMEOUT);
        }
        lock(connection, EXCLUSIVE_LOCK, stream);
        try (PreparedStatement raise = connection.prepareStatement(RAISE_FLOOR);
             PreparedStatement delete = connection.prepareStatement(DELETE_BELOW)) {
            raise.setString(1, stream);
            raise.setLong(2, beforeMillis);
            raise.executeUpdate();
            delete.setString(1, stream);
            delete.setLong(2, beforeMillis);
            delete.executeUpdate();
        }
    }

    private static void lock(Connection connection, String sql, String stream) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(sql)) {
            lock.setString(1, stream);
            lock.executeQuery().close();
        }
    }
}
