package org.libertyevents.aggregator.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Retention's forgetting of keys past {@code DEDUP_RETENTION}, with their tombstones ({@link RetentionStore}). */
final class ForgottenKeys {

    private static final String FORGET_KEYS_POSTGRES = """
            DELETE FROM event_keys WHERE ctid IN (SELECT ctid FROM event_keys WHERE first_seen < ? LIMIT ?)""";
    private static final String FORGET_KEYS_H2 = "DELETE FROM event_keys WHERE first_seen < ? FETCH FIRST ? ROWS ONLY";
    private static final String FORGET_ERASURES = """
            DELETE FROM erasures r WHERE r.erased_at < ?
            AND NOT EXISTS (SELECT 1 FROM event_keys k WHERE k.key_hash = r.key_hash)""";
    /**
     * No payload is older than the oldest of: the default partition's rows, the start of the oldest range partition,
     * and any partition without a start (the table of before V10, which bounds nothing). H2 reads its one table.
     */
    private static final String OLDEST_PAYLOAD_POSTGRES = """
            SELECT (SELECT MIN(received_at) FROM events_default), MIN(received_from), COUNT(*) - COUNT(received_from)
            FROM event_partitions""";
    private static final String OLDEST_PAYLOAD_H2 = "SELECT MIN(received_at), NULL, 0 FROM events";

    /** Whether this process has made sure the index {@link #indexKeyAge} builds exists. */
    private static volatile boolean keyAgeIndexed;

    private ForgottenKeys() {
    }

    /** Forgets, in batches, the keys first seen before {@code cutoff} that no stored payload needs; returns how many. */
    static long forget(DataSource dataSource, Dialect dialect, Instant cutoff) {
        return keyCutoff(dataSource, dialect, cutoff).map(bound -> forgetKeys(dataSource, dialect, bound)).orElse(0L);
    }

    /**
     * Keys first seen before {@code cutoff} may go, but never one whose payload is still there: a resend of it would
     * then store the event a second time. A key is first seen when its payload is received, so keys older than the
     * oldest payload have none. (DEDUP_RETENTION is at least EVENTS_RETENTION, so this holds keys back only while
     * expired payloads wait to be removed.)
     */
    private static Optional<Instant> keyCutoff(DataSource dataSource, Dialect dialect, Instant cutoff) {
        return LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    dialect == Dialect.POSTGRESQL ? OLDEST_PAYLOAD_POSTGRES : OLDEST_PAYLOAD_H2);
                 ResultSet row = select.executeQuery()) {
                row.next();
                if (row.getLong(3) > 0) {
                    return Optional.empty();
                }
                Instant bound = cutoff;
                for (int column = 1; column <= 2; column++) {
                    OffsetDateTime oldest = row.getObject(column, OffsetDateTime.class);
                    if (oldest != null && oldest.toInstant().isBefore(bound)) {
                        bound = oldest.toInstant();
                    }
                }
                return Optional.of(bound);
            }
        });
    }

    private static long forgetKeys(DataSource dataSource, Dialect dialect, Instant cutoff) {
        if (dialect == Dialect.POSTGRESQL && !keyAgeIndexed) {
            indexKeyAge(dataSource);
        }
        long forgotten = 0;
        for (int batch = 0; batch < RetentionStore.MAX_BATCHES; batch++) {
            int removed = LocalTransaction.run(dataSource, connection -> {
                try (PreparedStatement delete = connection.prepareStatement(
                        dialect == Dialect.POSTGRESQL ? FORGET_KEYS_POSTGRES : FORGET_KEYS_H2)) {
                    delete.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                    delete.setInt(2, RetentionStore.BATCH);
                    return delete.executeUpdate();
                }
            });
            forgotten += removed;
            if (removed < RetentionStore.BATCH) {
                break;
            }
        }
        if (forgotten > 0) {
            // A tombstone goes with its key: a resend of it is new again.
            LocalTransaction.run(dataSource, connection -> {
                try (PreparedStatement delete = connection.prepareStatement(FORGET_ERASURES)) {
                    delete.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                    return delete.executeUpdate();
                }
            });
        }
        return forgotten;
    }

    /**
     * Builds the index that finds the oldest keys, once per process, without blocking writers (hence outside a
     * transaction). Only forgetting keys needs it, and it costs every insert: it exists only where DEDUP_RETENTION is
     * set.
     */
    private static void indexKeyAge(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement ddl = connection.createStatement()) {
            connection.setAutoCommit(true);
            ddl.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS event_keys_first_seen_idx ON event_keys "
                    + "USING brin (first_seen)");
            keyAgeIndexed = true;
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }
}
