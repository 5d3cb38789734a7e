package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.store.IdempotencyStore.StoredResponse;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

/** Writes the answers of a group's Idempotency-Keys on the connection, and so in the transaction, of its events. */
final class KeyedAnswers {

    private static final String ANSWER = "UPDATE idempotency_keys SET status = ?, content_type = ?, headers = ?, "
            + "body = ? WHERE idempotency_key = ? AND fingerprint = ? AND status IS NULL";

    private KeyedAnswers() {
    }

    /**
     * Answers each key its request still holds, in key order (so that concurrent groups lock key rows in one order).
     * A key answered or claimed by another request meanwhile fails the transaction: its events must not commit
     * under an answer that is not theirs.
     *
     * @param verdicts the group's verdicts, which each answer takes its own from
     * @throws IdempotencyKeyTakenException when a key is no longer held
     */
    static void write(Connection connection, List<KeyedAnswer> answers, List<Verdict> verdicts) throws SQLException {
        if (answers.isEmpty()) {
            return;
        }
        List<KeyedAnswer> ordered = answers.stream().sorted(Comparator.comparing(KeyedAnswer::key)).toList();
        try (PreparedStatement update = connection.prepareStatement(ANSWER)) {
            for (KeyedAnswer keyed : ordered) {
                StoredResponse response = keyed.answer().apply(verdicts);
                update.setInt(1, response.status());
                update.setString(2, response.contentType());
                update.setString(3, response.headers());
                update.setString(4, response.body());
                update.setString(5, keyed.key());
                update.setString(6, keyed.fingerprint());
                update.addBatch();
            }
            int[] counts;
            try {
                counts = update.executeBatch();
            } catch (BatchUpdateException e) {
                // The driver's message quotes the statement with its parameters, whole answers included.
                throw e.getNextException() == null ? e : e.getNextException();
            }
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 0) {
                    throw new IdempotencyKeyTakenException(ordered.get(i).key());
                }
            }
        }
    }
}
