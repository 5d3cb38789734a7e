package org.libertyevents.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The PostgreSQL side the benchmark prepares itself: its databases, an empty start, the stored events of scale. */
final class Databases {

    /** Rows one fill statement adds, so that the fill commits (and reports) as it goes. */
    private static final long FILL_CHUNK = 1_000_000;

    private final String user;
    private final String password;

    Databases(String user, String password) {
        this.user = user;
        this.password = password;
    }

    Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Creates the database a JDBC URL names, through the server's {@code postgres} database, unless it exists. */
    void create(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection admin = connect(url.substring(0, url.lastIndexOf('/') + 1) + "postgres");
             PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet row = exists.executeQuery()) {
                if (!row.next()) {
                    try (Statement sql = admin.createStatement()) {
                        sql.execute("CREATE DATABASE \"" + name + "\"");
                    }
                }
            }
        }
    }

    /** Drops the database a JDBC URL names, if it exists, and creates it empty. */
    void recreate(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection admin = connect(url.substring(0, url.lastIndexOf('/') + 1) + "postgres");
             Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
        create(url);
    }

    /** Empties the aggregator's tables (only ever in a database the benchmark owns). */
    void empty(String url) throws SQLException {
        try (Connection connection = connect(url); Statement sql = connection.createStatement()) {
            sql.execute("TRUNCATE events, event_keys, erasures, topic_stats, broker_receipts RESTART IDENTITY");
            sql.execute("VACUUM ANALYZE events");
            sql.execute("VACUUM ANALYZE event_keys");
        }
    }

    long rows(String url) throws SQLException {
        try (Connection connection = connect(url); Statement sql = connection.createStatement();
             ResultSet count = sql.executeQuery("SELECT count(*) FROM events")) {
            count.next();
            return count.getLong(1);
        }
    }

    /**
     * Adds stored events in SQL until the table holds {@code rows}, as topic {@code bench-fill} with its counter
     * row, so that the counters still agree with the table. Returns the row count reached.
     */
    long fill(String url, long rows) throws SQLException {
        long have = rows(url);
        if (have >= rows) {
            return have;
        }
        try (Connection connection = connect(url); Statement sql = connection.createStatement()) {
            sql.execute("SET synchronous_commit = off");  // a bulk load: a crash would only mean filling again
            long from;
            try (ResultSet max = sql.executeQuery(
                    "SELECT COALESCE(MAX(CAST(substr(event_id, 6) AS bigint)), 0) FROM events"
                            + " WHERE topic = 'bench-fill'")) {
                max.next();
                from = max.getLong(1) + 1;
            }
            long missing = rows - have;
            for (long start = from; start < from + missing; start += FILL_CHUNK) {
                long end = Math.min(from + missing, start + FILL_CHUNK) - 1;
                connection.setAutoCommit(false);
                fillChunk(connection, sql, start, end);
                connection.setAutoCommit(true);
                System.out.printf("  filled %,d of %,d rows%n", end - from + 1, missing);
            }
            sql.execute("VACUUM ANALYZE events");
            sql.execute("VACUUM ANALYZE event_keys");
        }
        return rows(url);
    }

    /**
     * One chunk of the fill in one transaction, run again when the scale server, just started on this database,
     * attached the partition of the rows' time while the chunk ran (SQLSTATE 23514 on the default partition: the
     * service retries its own inserts the same way).
     */
    private static void fillChunk(Connection connection, Statement sql, long start, long end) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                // Keys and payloads, as the service writes them (the keys without a payload hash, as rows of
                // before hashes were kept: a resend of one is a duplicate, never a conflict).
                int added = sql.executeUpdate("""
                        WITH fill AS (
                            SELECT 'bench-fill' AS topic, 'fill-' || i AS event_id,
                                   now() - make_interval(secs => i) AS event_time,
                                   jsonb_build_object('seq', i, 'amount', i * 7919 %% 100000, 'currency', 'EUR',
                                                      'note', 'benchmark event with a payload of typical size')
                                       AS payload
                            FROM generate_series(CAST(%d AS bigint), CAST(%d AS bigint)) AS i),
                        taken AS (
                            INSERT INTO event_keys (key_hash, first_seen)
                            SELECT event_key_hash(topic, event_id), now() FROM fill ON CONFLICT DO NOTHING
                            RETURNING key_hash)
                        INSERT INTO events (topic, event_id, event_time, source, payload, received_at)
                        SELECT f.topic, f.event_id, f.event_time, 'bench', f.payload, now()
                        FROM fill f JOIN taken t ON t.key_hash = event_key_hash(f.topic, f.event_id)""".formatted(
                        start, end));
                sql.executeUpdate("""
                        INSERT INTO topic_stats (topic, unique_count, duplicate_count) VALUES ('bench-fill', %d, 0)
                        ON CONFLICT (topic)
                        DO UPDATE SET unique_count = topic_stats.unique_count + EXCLUDED.unique_count
                        """.formatted(added));
                connection.commit();
                return;
            } catch (SQLException e) {
                connection.rollback();
                if (!"23514".equals(e.getSQLState()) || attempt >= 3) {
                    throw e;
                }
                System.out.printf("  a partition was attached during the chunk; filling it again%n");
            }
        }
    }

    long keys(String url) throws SQLException {
        try (Connection connection = connect(url); Statement sql = connection.createStatement();
             ResultSet count = sql.executeQuery("SELECT count(*) FROM event_keys")) {
            count.next();
            return count.getLong(1);
        }
    }

    /**
     * Adds remembered keys without payloads (events whose payloads expired) until the key table holds {@code keys},
     * as topic {@code bench-expired} with its counter row (stored and expired), so that the counters still agree.
     * The keys go in by their hash, in no order, as the service's do. Returns the key count reached.
     */
    long fillKeys(String url, long keys) throws SQLException {
        long have = keys(url);
        if (have >= keys) {
            return have;
        }
        try (Connection connection = connect(url); Statement sql = connection.createStatement()) {
            sql.execute("SET synchronous_commit = off");
            long from;
            try (ResultSet counter = sql.executeQuery(
                    "SELECT COALESCE(MAX(unique_count), 0) FROM topic_stats WHERE topic = 'bench-expired'")) {
                counter.next();
                from = counter.getLong(1) + 1;
            }
            long missing = keys - have;
            for (long start = from; start < from + missing; start += FILL_CHUNK) {
                long end = Math.min(from + missing, start + FILL_CHUNK) - 1;
                connection.setAutoCommit(false);
                int added = sql.executeUpdate("""
                        INSERT INTO event_keys (key_hash, first_seen, payload_hash)
                        SELECT event_key_hash('bench-expired', 'expired-' || i), now() - interval '30 days', i
                        FROM generate_series(CAST(%d AS bigint), CAST(%d AS bigint)) AS i
                        ON CONFLICT DO NOTHING""".formatted(start, end));
                sql.executeUpdate("""
                        INSERT INTO topic_stats (topic, unique_count, duplicate_count, expired_count)
                        VALUES ('bench-expired', %d, 0, %d)
                        ON CONFLICT (topic) DO UPDATE SET unique_count = topic_stats.unique_count + EXCLUDED.unique_count,
                                                          expired_count = topic_stats.expired_count + EXCLUDED.expired_count
                        """.formatted(added, added));
                connection.commit();
                connection.setAutoCommit(true);
                System.out.printf("  filled %,d of %,d keys%n", end - from + 1, missing);
            }
            sql.execute("VACUUM ANALYZE event_keys");
        }
        return keys(url);
    }
}
