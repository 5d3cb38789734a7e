package org.libertyevents.aggregator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of broker receipts on one database product. A receipt records what became of a stream entry
 * ({@link Outcome}); the first transaction to record it decides, and every later delivery of the entry follows it.
 *
 * <p>Receipts of entries the whole group is done with are pruned, and the stream's floor rises with them: an entry
 * below the floor is settled, so a consumer still holding it (it stalled while another consumer took the entry
 * over, committed and acknowledged it) records nothing. Recording and pruning exclude each other per stream, so a
 * transaction that saw the old floor commits before the receipts below the new one go.
 */
interface ReceiptWriter {

    /** What became of an entry, as the {@code outcome} column holds it. */
    enum Outcome {
        STORED("S"), DEAD_LETTERED("D");

        final String code;

        Outcome(String code) {
            this.code = code;
        }
    }

    /**
     * Records receipts with this outcome for the entries not settled yet (no receipt, not below the floor), holding
     * off pruning of the stream until the transaction ends, and returns the ids it recorded.
     */
    Set<String> record(Connection connection, String stream, List<String> entryIds, Outcome outcome)
            throws SQLException;

    /**
     * Raises the stream's floor to {@code beforeMillis} and deletes the receipts below it, once no transaction
     * recording receipts of the stream is under way; fails rather than wait long for one that stalls.
     */
    void prune(Connection connection, String stream, long beforeMillis) throws SQLException;

    /** Those of these entries whose receipt says they were dead-lettered. Only redeliveries get here. */
    default Set<String> deadLettered(Connection connection, String stream, List<String> entryIds)
            throws SQLException {
        Set<String> dead = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT outcome FROM broker_receipts "
                + "WHERE stream = ? AND entry_ms = ? AND entry_seq = ?")) {
            for (String entryId : entryIds) {
                select.setString(1, stream);
                select.setLong(2, Delivery.millis(entryId));
                select.setLong(3, Delivery.sequence(entryId));
                try (ResultSet row = select.executeQuery()) {
                    if (row.next() && Outcome.DEAD_LETTERED.code.equals(row.getString(1))) {
                        dead.add(entryId);
                    }
                }
            }
        }
        return dead;
    }
}
