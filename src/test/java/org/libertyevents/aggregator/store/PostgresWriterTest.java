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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgresWriter's insert on a real PostgreSQL (127.0.0.1:5432, user postgres), in a database of its own with the
 * service's migrations, dropped afterwards: instants sent as microseconds come back as the same instants, from year 1
 * to 9999 and on both sides of the epoch; a key is taken once.
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
