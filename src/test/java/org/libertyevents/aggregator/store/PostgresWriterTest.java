package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgresWriter's insert on a real PostgreSQL (127.0.0.1:5432, user postgres), in a database of its own with the
 * service's migrations, dropped afterwards: instants sent as microseconds come back as the same instants, from year 1
 * to 9999 and on both sides of the epoch; a key is taken once; an insert that races a partition attach is a lost race.
 */
class PostgresWriterTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "aggregator_writer_test_" + UUID.randomUUID().toString().substring(0, 8);
    private static Connection connection;

    @BeforeAll
    static void database() throws Exception {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            if (System.getenv("CI") != null) {
                throw e;
            }
            Assumptions.abort("no PostgreSQL at " + SERVER + ": " + e.getMessage());
        }
        connection = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
        try (Statement statement = connection.createStatement()) {
            for (int version = 1; version <= SchemaMigrator.MIGRATIONS.size(); version++) {
                for (String sql : MigrationScripts.postgres(version)) {
                    statement.execute(sql);
                }
            }
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        if (connection == null) {
            return;
        }
        connection.close();
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement dropping = admin.createStatement()) {
            dropping.execute("DROP DATABASE IF EXISTS " + DATABASE);
        }
    }

    @Test
    void storesEveryInstantToTheMicrosecond() throws SQLException {
        List<String> instants = List.of("0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z",
                "1970-01-01T00:00:00.000001Z", "1900-06-15T08:30:00.5Z", "2026-12-03T13:45:12.345678Z",
                "9999-12-31T23:59:59.999999Z");
        List<Event> events = instants.stream().map(text -> new Event("instants", text, Instant.parse(text), "test",
                "{}", Instant.parse(text))).toList();

        Set<EventKey> inserted = new PostgresWriter().insertNew(connection, events, hashes(events.size()));

        assertEquals(events.stream().map(Event::key).collect(Collectors.toSet()), inserted);
        try (PreparedStatement read = connection.prepareStatement("""
                SELECT e.event_id, e.event_time, e.received_at, k.first_seen FROM events e
                JOIN event_keys k ON k.key_hash = event_key_hash(e.topic, e.event_id) WHERE e.topic = 'instants'""");
             ResultSet rows = read.executeQuery()) {
            int count = 0;
            while (rows.next()) {
                Instant expected = Instant.parse(rows.getString(1));
                for (int column = 2; column <= 4; column++) {
                    assertEquals(expected, rows.getObject(column, OffsetDateTime.class).toInstant(),
                            "column " + column + " of " + rows.getString(1));
                }
                count++;
            }
            assertEquals(instants.size(), count);
        }
    }

    @Test
    void takesAKeyOnce() throws SQLException {
        Instant now = Instant.parse("2026-12-03T13:45:12.345678Z");
        List<Event> first = List.of(new Event("once", "1", now, "test", "{\"a\":1}", now));
        PostgresWriter writer = new PostgresWriter();

        assertEquals(Set.of(new EventKey("once", "1")), writer.insertNew(connection, first, hashes(1)));
        assertEquals(Set.of(), writer.insertNew(connection, first, hashes(1)));
    }

    /**
     * The race the benchmark's fill met on a fresh database: a payload partition attached while an insert runs. The
     * insert is held on a key another transaction holds, before it routes its row; the partition for the row's time
     * is attached meanwhile; released, the insert routes the row with the partitions it started with, to the default
     * one, and PostgreSQL refuses it there. That is a lost race (CONFLICT, which the writer retries), not bad data
     * (REJECTED, which fails the request or dead-letters a broker entry), and the retry stores the row.
     */
    @Test
    void anInsertThatRacesAPartitionAttachIsALostRaceAndGoesInWhenRetried() throws Exception {
        Instant at = Instant.parse("2031-01-01T12:00:00Z");
        List<Event> events = List.of(new Event("attach-race", "1", at, "test", "{}", at));
        PostgresWriter writer = new PostgresWriter();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (Connection holder = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
             Connection writing = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
             Statement hold = holder.createStatement();
             Statement ddl = connection.createStatement()) {
            holder.setAutoCommit(false);
            hold.executeUpdate("INSERT INTO event_keys (key_hash, first_seen) "
                    + "VALUES (event_key_hash('attach-race', '1'), now())");
            int writerPid = backendPid(writing);
            Future<Set<EventKey>> insert = thread.submit(() -> writer.insertNew(writing, events, hashes(1)));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitsForALock(writerPid));

            ddl.execute("CREATE TABLE events_attach_race (LIKE events INCLUDING DEFAULTS)");
            ddl.execute("ALTER TABLE events ATTACH PARTITION events_attach_race "
                    + "FOR VALUES FROM ('2031-01-01 00:00:00+00') TO ('2031-01-02 00:00:00+00')");
            holder.rollback();

            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> insert.get(10, TimeUnit.SECONDS));
            SQLException refused = assertInstanceOf(SQLException.class, failed.getCause());
            assertEquals("23514", refused.getSQLState(), refused.getMessage());
            assertEquals(StoreException.Kind.CONFLICT, StoreException.from(refused).kind());

            assertEquals(Set.of(new EventKey("attach-race", "1")), writer.insertNew(writing, events, hashes(1)));
            try (ResultSet row = ddl.executeQuery(
                    "SELECT tableoid::regclass::text FROM events WHERE topic = 'attach-race'")) {
                assertTrue(row.next());
                assertEquals("events_attach_race", row.getString(1));
            }
        } finally {
            thread.shutdownNow();
        }
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement();
             ResultSet pid = select.executeQuery("SELECT pg_backend_pid()")) {
            pid.next();
            return pid.getInt(1);
        }
    }

    private static boolean waitsForALock(int pid) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?")) {
            select.setInt(1, pid);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    @Test
    void countsMicrosecondsOnBothSidesOfTheEpoch() {
        assertEquals(-1, PostgresWriter.micros(Instant.parse("1969-12-31T23:59:59.999999Z")));
        assertEquals(1, PostgresWriter.micros(Instant.parse("1970-01-01T00:00:00.000001999Z")));
        assertEquals(-62_135_596_800_000_000L, PostgresWriter.micros(Instant.parse("0001-01-01T00:00:00Z")));
    }

    private static List<String> hashes(int n) {
        return Collections.nCopies(n, "0123456789abcdef");
    }
}
