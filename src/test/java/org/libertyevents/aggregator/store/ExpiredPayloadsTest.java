package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.event.Event;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The row-by-row expiry on a real embedded H2 database with the migrations: batches, counts, keys kept. */
class ExpiredPayloadsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private Connection connection;

    @BeforeEach
    void schema() throws Exception {
        connection = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "");
        try (Statement statement = connection.createStatement()) {
            for (int version = 1; version <= SchemaMigrator.MIGRATIONS.size(); version++) {
                for (String sql : SchemaMigrator.statements(
                        "db/h2/V" + version + "__" + SchemaMigrator.MIGRATIONS.get(version - 1) + ".sql")) {
                    statement.execute(sql);
                }
            }
        }
        H2Writer writer = new H2Writer();
        List<Event> events = List.of(event("a", "old-1", 3), event("a", "old-2", 2), event("b", "old-3", 2),
                event("a", "new-1", 0), event("b", "new-2", 0));
        writer.insertNew(connection, events, List.of("h1", "h2", "h3", "h4", "h5"));
        TreeMap<String, GroupPlan.TopicDelta> deltas = new TreeMap<>();
        for (Event event : events) {
            deltas.computeIfAbsent(event.topic(), topic -> new GroupPlan.TopicDelta()).unique++;
        }
        writer.addToCounters(connection, deltas);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void expiredPayloadsGoInBatchesCountedPerTopicWhileTheirKeysStay() throws SQLException {
        Instant cutoff = NOW.minus(Duration.ofHours(1));

        Map<String, Long> first = ExpiredPayloads.delete(Dialect.H2, connection, cutoff, 2);
        ExpiredPayloads.count(connection, "expired_count", first);
        Map<String, Long> second = ExpiredPayloads.delete(Dialect.H2, connection, cutoff, 2);
        ExpiredPayloads.count(connection, "expired_count", second);

        assertEquals(2, first.values().stream().mapToLong(Long::longValue).sum(), "a batch is bounded");
        assertEquals(1, second.values().stream().mapToLong(Long::longValue).sum(), "the rest");
        assertEquals(Map.of(), ExpiredPayloads.delete(Dialect.H2, connection, cutoff, 2), "nothing left to expire");
        assertEquals(2, count("SELECT COUNT(*) FROM events"), "the payloads received since the cutoff stay");
        assertEquals(5, count("SELECT COUNT(*) FROM event_keys"), "every key is remembered");
        assertEquals(2, count("SELECT expired_count FROM topic_stats WHERE topic = 'a'"));
        assertEquals(1, count("SELECT expired_count FROM topic_stats WHERE topic = 'b'"));
        assertEquals(3, count("SELECT unique_count FROM topic_stats WHERE topic = 'a'"), "stored stays stored");
    }

    private long count(String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Event event(String topic, String id, int hoursAgo) {
        Instant received = NOW.minus(Duration.ofHours(hoursAgo));
        return new Event(topic, id, received, "test", "{}", received);
    }
}
