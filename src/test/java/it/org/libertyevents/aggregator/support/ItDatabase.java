package it.org.libertyevents.aggregator.support;

import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The database behind the integration-test server: embedded H2, or PostgreSQL. For PostgreSQL it creates the
 * test database when missing (the server keeps retrying its migration until then). Where no PostgreSQL runs the
 * PostgreSQL suite is skipped on a developer machine, and fails in CI, where it must run.
 */
public final class ItDatabase {

    private static volatile boolean prepared;

    private ItDatabase() {
    }

    public static boolean isPostgres() {
        return "postgres".equals(System.getProperty("it.database"));
    }

    /** Makes sure the database the server uses exists; call before waiting for readiness. */
    public static synchronized void prepare() {
        if (prepared || !isPostgres()) {
            return;
        }
        String admin = System.getProperty("it.postgres.admin.url");
        String url = System.getProperty("it.postgres.url");
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection connection = DriverManager.getConnection(admin, System.getProperty("it.postgres.user"),
                System.getProperty("it.postgres.password"))) {
            try (PreparedStatement exists = connection.prepareStatement(
                    "SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, name);
                try (ResultSet row = exists.executeQuery()) {
                    if (!row.next()) {
                        try (Statement create = connection.createStatement()) {
                            create.execute("CREATE DATABASE \"" + name + "\"");
                        }
                    }
                }
            }
            prepared = true;
        } catch (SQLException e) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("PostgreSQL must be reachable in CI at " + admin, e);
            }
            Assumptions.abort("PostgreSQL is not reachable at " + admin + ": " + e.getMessage());
        }
    }

    /**
     * A new, empty PostgreSQL database beside the test database (dropped first if a run before left it), for an
     * instance whose settings must not touch what the other tests store; returns its JDBC URL.
     */
    public static String freshDatabase(String suffix) {
        String url = System.getProperty("it.postgres.url");
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "") + "_" + suffix;
        try (Connection connection = DriverManager.getConnection(System.getProperty("it.postgres.admin.url"),
                System.getProperty("it.postgres.user"), System.getProperty("it.postgres.password"));
             Statement ddl = connection.createStatement()) {
            ddl.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            ddl.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return url.substring(0, url.lastIndexOf('/') + 1) + name;
    }

    /**
     * Rows the PostgreSQL test database holds for a topic, and the distinct event ids among them: the two differ
     * only if an event was stored twice, which the key table's primary key forbids.
     */
    public static long[] rows(String topic) {
        return rows(System.getProperty("it.postgres.url"), topic);
    }

    /** {@link #rows(String)} in the PostgreSQL database at {@code url} (a database of a test's own). */
    public static long[] rows(String url, String topic) {
        return rows(url, System.getProperty("it.postgres.user"), System.getProperty("it.postgres.password"), topic);
    }

    /** {@link #rows(String, String)} as {@code user}, for a database whose credentials are the test's own. */
    public static long[] rows(String url, String user, String password, String topic) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*), count(DISTINCT event_id) FROM events WHERE topic = ?")) {
            count.setString(1, topic);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the rows of " + topic, e);
        }
    }

    /** The single number a query with one text parameter answers, in the PostgreSQL test database. */
    public static long count(String query, String parameter) {
        try (Connection connection = connect(); PreparedStatement count = connection.prepareStatement(query)) {
            count.setString(1, parameter);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + query, e);
        }
    }

    /**
     * Holds a lock that makes every broker consumer's transaction wait (it blocks inserts into
     * {@code broker_receipts}) until closed: a consumer then holds delivered, unacknowledged entries for as long as
     * a test needs.
     */
    public static AutoCloseable blockBrokerCommits() {
        return lockTable("broker_receipts");
    }

    /** Holds a lock on a table that blocks every write to it until closed (reads go on). */
    public static AutoCloseable lockTable(String table) {
        return holding("cannot lock " + table, connection -> {
            try (Statement lock = connection.createStatement()) {
                lock.execute("LOCK TABLE " + table + " IN SHARE MODE");
            }
        });
    }

    /** Holds a lock on a table that blocks every read of it too (and every write) until closed. */
    public static AutoCloseable blockReads(String table) {
        return holding("cannot lock " + table, connection -> {
            try (Statement lock = connection.createStatement()) {
                lock.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
            }
        });
    }

    /**
     * Holds the lock of one topic's counter row until closed: a writer storing events of that topic inserts them,
     * then waits at its counter update, in a transaction that has drawn its sequence numbers and not committed.
     */
    public static AutoCloseable lockCounterRow(String topic) {
        return holding("cannot lock the counter row of " + topic, connection -> {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT 1 FROM topic_stats WHERE topic = ? FOR UPDATE")) {
                lock.setString(1, topic);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        throw new SQLException("no counter row for " + topic);
                    }
                }
            }
        });
    }

    /**
     * Holds the lock of one Idempotency-Key's row until closed: a request answering that key waits for it.
     *
     * @param key the key as stored: as sent, without the quotes (the IT servers have no API keys to scope it)
     */
    public static AutoCloseable lockIdempotencyKey(String key) {
        return holding("cannot lock the idempotency key " + key, connection -> {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT 1 FROM idempotency_keys WHERE idempotency_key = ? FOR UPDATE")) {
                lock.setString(1, key);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        throw new SQLException("no row for the idempotency key " + key);
                    }
                }
            }
        });
    }

    /** Work on a connection whose transaction stays open. */
    private interface LockWork {
        void lock(Connection connection) throws SQLException;
    }

    /** Takes locks in a transaction of its own, held until the returned handle rolls it back. */
    private static AutoCloseable holding(String failure, LockWork work) {
        try {
            Connection connection = connect();
            try {
                connection.setAutoCommit(false);
                work.lock(connection);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return () -> {
                connection.rollback();
                connection.close();
            };
        } catch (SQLException e) {
            throw new IllegalStateException(failure, e);
        }
    }

    /** Sessions of the test database waiting for a lock in a statement that starts with {@code statementStart}. */
    public static int waitingFor(String statementStart) {
        return countWaiting("count(*)", statementStart);
    }

    /**
     * Cancels ({@code pg_cancel_backend}) the statements of the test database that wait for a lock and start with
     * {@code statementStart}, which then fail with SQLSTATE 57014, and returns how many it cancelled.
     */
    public static int cancelWaiting(String statementStart) {
        return countWaiting("count(*) FILTER (WHERE pg_cancel_backend(pid))", statementStart);
    }

    private static int countWaiting(String aggregate, String statementStart) {
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement("SELECT " + aggregate + " FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE ?")) {
            select.setString(1, statementStart.replace("%", "\\%").replace("_", "\\_") + "%");
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_activity", e);
        }
    }

    /** A connection to the PostgreSQL test database the server uses. */
    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(System.getProperty("it.postgres.url"),
                System.getProperty("it.postgres.user"), System.getProperty("it.postgres.password"));
    }
}
