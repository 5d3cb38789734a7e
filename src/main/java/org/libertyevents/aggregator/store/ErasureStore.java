package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Erases events: the payload (and any conflicting copy of it) goes at once, the key stays in {@code event_keys} with
 * a tombstone in {@code erasures}, so that a resend is still a duplicate and a read answers 410.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ErasureStore {

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    /**
     * Erases one event.
     *
     * @return when it was erased (now, or by an earlier erasure), or empty if the key was never stored (or forgotten)
     */
    public Optional<Instant> erase(String topic, String eventId, String reason, Instant now) {
        return LocalTransaction.run(dataSource, connection -> {
            // The key's row, locked: an erasure and a concurrent store of the same key do not interleave.
            if (!lockKey(connection, topic, eventId)) {
                return Optional.empty();
            }
            int payloads = delete(connection, "DELETE FROM events WHERE topic = ? AND event_id = ?", topic, eventId);
            delete(connection, "DELETE FROM conflicts WHERE topic = ? AND event_id = ?", topic, eventId);
            ExpiredPayloads.count(connection, "erased_count", payloads == 0 ? Map.of() : Map.of(topic, 1L));
            try (PreparedStatement tombstone = connection.prepareStatement("INSERT INTO erasures (topic, event_id, "
                    + "erased_at, reason) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                tombstone.setString(1, topic);
                tombstone.setString(2, eventId);
                tombstone.setObject(3, now.atOffset(ZoneOffset.UTC));
                tombstone.setString(4, reason);
                tombstone.executeUpdate();
            }
            return Optional.of(erasedAt(connection, topic, eventId));
        });
    }

    private static boolean lockKey(Connection connection, String topic, String eventId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM event_keys WHERE topic = ? AND event_id = ? FOR UPDATE")) {
            select.setString(1, topic);
            select.setString(2, eventId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static int delete(Connection connection, String sql, String topic, String eventId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, topic);
            delete.setString(2, eventId);
            return delete.executeUpdate();
        }
    }

    private static Instant erasedAt(Connection connection, String topic, String eventId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT erased_at FROM erasures WHERE topic = ? AND event_id = ?")) {
            select.setString(1, topic);
            select.setString(2, eventId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }
}
