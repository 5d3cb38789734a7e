package org.libertyevents.aggregator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Receipts on H2, which has no shared row locks: recording and pruning both lock the stream's floor row for update,
 * so the consumers' transactions of one stream take turns (H2 is the single-process default; PostgreSQL's
 * consumers run side by side).
 */
final class H2Receipts implements ReceiptWriter {

    private static final String ENSURE_FLOOR =
            "INSERT INTO broker_receipt_floors (stream, floor_ms) VALUES (?, 0) ON CONFLICT DO NOTHING";
    private static final String LOCK_FLOOR = "SELECT floor_ms FROM broker_receipt_floors WHERE stream = ? FOR UPDATE";
    private static final String RECORD = """
            INSERT INTO broker_receipts (stream, entry_ms, entry_seq, outcome) VALUES (?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String RAISE_FLOOR = "UPDATE broker_receipt_floors SET floor_ms = ? WHERE stream = ?";
    private static final String DELETE_BELOW = "DELETE FROM broker_receipts WHERE stream = ? AND entry_ms < ?";

    @Override
    public Set<String> record(Connection connection, String stream, List<String> entryIds, Outcome outcome)
            throws SQLException {
        long floor = lockFloor(connection, stream);
        List<String> unsettled = new ArrayList<>(entryIds.size());
        for (String entryId : entryIds) {
            if (Delivery.millis(entryId) >= floor) {
                unsettled.add(entryId);
            }
        }
        Set<String> recorded = new HashSet<>(unsettled.size() * 2);
        if (unsettled.isEmpty()) {
            return recorded;
        }
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            for (String entryId : unsettled) {
                insert.setString(1, stream);
                insert.setLong(2, Delivery.millis(entryId));
                insert.setLong(3, Delivery.sequence(entryId));
                insert.setString(4, outcome.code);
                insert.addBatch();
            }
            // Batch update counts say row by row whether ON CONFLICT DO NOTHING inserted (1) or skipped (0).
            int[] counts = insert.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    recorded.add(unsettled.get(i));
                }
            }
        }
        return recorded;
    }

    @Override
    public void prune(Connection connection, String stream, long beforeMillis) throws SQLException {
        long floor = lockFloor(connection, stream);
        if (beforeMillis <= floor) {
            return;
        }
        try (PreparedStatement raise = connection.prepareStatement(RAISE_FLOOR);
             PreparedStatement delete = connection.prepareStatement(DELETE_BELOW)) {
            raise.setLong(1, beforeMillis);
            raise.setString(2, stream);
            raise.executeUpdate();
            delete.setString(1, stream);
            delete.setLong(2, beforeMillis);
            delete.executeUpdate();
        }
    }

    private static long lockFloor(Connection connection, String stream) throws SQLException {
        try (PreparedStatement ensure = connection.prepareStatement(ENSURE_FLOOR);
             PreparedStatement lock = connection.prepareStatement(LOCK_FLOOR)) {
            ensure.setString(1, stream);
            ensure.executeUpdate();
            lock.setString(1, stream);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
