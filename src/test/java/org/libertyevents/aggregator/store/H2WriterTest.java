package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * H2Writer on a real embedded H2 database (in memory, with the migrations), where two transactions race as
 * several writers ({@code INGEST_WRITERS} &gt; 1) make them: the second one's statement runs into a row the first has
 * written and not committed, and the first commits while it waits. H2 waits by running the statement again until
 * the row is committed, so where in its statement the second one is at the commit differs from round to round:
 * each test races {@value #ROUNDS} times.
 */
class H2WriterTest {

    private static final int ROUNDS = 20;

    private final H2Writer writer = new H2Writer();
    private final ExecutorService racers = Executors.newFixedThreadPool(2);
    private String url;
    private Connection observer;

    @BeforeEach
    void schema() throws Exception {
        // LOCK_TIMEOUT: the waiting transaction must outlast the polling below, not give up after H2's default.
        url = "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";LOCK_TIMEOUT=60000";
        observer = DriverManager.getConnection(url, "sa", "");
        try (Statement statement = observer.createStatement()) {
            for (int version = 1; version <= SchemaMigrator.MIGRATIONS.size(); version++) {
                for (String sql : SchemaMigrator.statements(
                        "db/h2/V" + version + "__" + SchemaMigrator.MIGRATIONS.get(version - 1) + ".sql")) {
                    statement.execute(sql);
                }
            }
        }
    }

    @AfterEach
    void close() throws SQLException {
        racers.shutdownNow();
        observer.close();
    }

    @Test
    void twoTransactionsCountingANewTopicAtOnceBothAddTheirCounts() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String topic = "new-topic-" + round;
            race(first -> {
                writer.addToCounters(first, deltas(topic, 2, 1, 0));
                return null;
            }, other -> {
                writer.addToCounters(other, deltas(topic, 3, 0, 1));
                return null;
            });
            assertArrayEquals(new long[] {5, 1, 1}, counters(topic), "round " + round);
        }
    }

    @Test
    void aNewEventTwoTransactionsInsertAtOnceIsInsertedByOneOnly() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Event event = event("e-" + round);
            List<Set<EventKey>> inserted = race(first -> writer.insertNew(first, List.of(event), List.of("hash")),
                    other -> writer.insertNew(other, List.of(event), List.of("hash")));
            assertEquals(List.of(Set.of(event.key()), Set.of()), inserted,
                    "round " + round + ": the second transaction finds the row the first committed");
        }
    }

    @Test
    void seqFollowsArrivalOrderWhileTheRowsGoInInKeyOrder() throws Exception {
        try (Connection connection = transaction()) {
            Set<EventKey> inserted = writer.insertNew(connection, List.of(event("c"), event("a"), event("b")),
                    List.of("hash", "hash", "hash"));
            connection.commit();
            assertEquals(3, inserted.size());
        }
        try (Statement statement = observer.createStatement();
             ResultSet rows = statement.executeQuery("SELECT event_id FROM events ORDER BY seq")) {
            StringBuilder order = new StringBuilder();
            while (rows.next()) {
                order.append(rows.getString(1));
            }
            assertEquals("cab", order.toString());
        }
    }

    /**
     * Two transactions insert the same new events, one in the order a, b and the other b, a, while a third holds
     * both; once it rolls back, each takes its first key. Inserted in those orders, each would then wait for the
     * other's until H2's lock timeout; the writer must take keys in one order.
     */
    @Test
    void twoTransactionsInsertingTheSameNewEventsInOppositeOrdersBothFinish() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Event a = event("a-" + round);
            Event b = event("b-" + round);
            try (Connection holder = transaction(); Connection one = transaction(); Connection other = transaction()) {
                writer.insertNew(holder, List.of(a, b), List.of("hash", "hash"));
                long[] sessions = {session(one), session(other)};
                Future<Set<EventKey>> forwards = racers.submit(() -> insertAndCommit(one, a, b));
                Future<Set<EventKey>> backwards = racers.submit(() -> insertAndCommit(other, b, a));
                await().atMost(Duration.ofSeconds(30)).until(() -> executing(sessions[0]) && executing(sessions[1]));
                holder.rollback();

                Set<EventKey> both = new HashSet<>(forwards.get());
                both.addAll(backwards.get());
                assertEquals(Set.of(a.key(), b.key()), both, "round " + round);
                assertEquals(2, forwards.get().size() + backwards.get().size(), "each key inserted once");
            }
        }
    }

    private Set<EventKey> insertAndCommit(Connection connection, Event... events) throws SQLException {
        // Short, so that a deadlock shows as a lock timeout within the test's time.
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCK_TIMEOUT 3000");
        }
        Set<EventKey> inserted = writer.insertNew(connection, List.of(events), List.of("hash", "hash"));
        connection.commit();
        return inserted;
    }

    private static Event event(String id) {
        return new Event("t", id, Instant.parse("2026-11-21T10:15:30Z"), "it", "{}", Instant.now(), null);
    }

    /** Work of one transaction on its connection. */
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code first} in a transaction, then {@code second} in another on another thread; once the second's
     * statement runs (waiting for what the first wrote), commits the first, then the second.
     *
     * @return what each returned
     */
    private <T> List<T> race(Work<T> first, Work<T> second) throws Exception {
        try (Connection one = transaction(); Connection other = transaction()) {
            T firstResult = first.run(one);
            long otherSession = session(other);
            Future<T> racing = racers.submit(() -> {
                T result = second.run(other);
                other.commit();
                return result;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> racing.isDone() || executing(otherSession));
            one.commit();
            return Arrays.asList(firstResult, racing.get());
        }
    }

    private Connection transaction() throws SQLException {
        Connection connection = DriverManager.getConnection(url, "sa", "");
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return connection;
    }

    private static long session(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT SESSION_ID()")) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Whether session {@code id} is inside a statement. */
    private boolean executing(long id) throws SQLException {
        try (PreparedStatement select = observer.prepareStatement(
                "SELECT executing_statement FROM information_schema.sessions WHERE session_id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getString(1) != null;
            }
        }
    }

    private long[] counters(String topic) throws SQLException {
        try (PreparedStatement select = observer.prepareStatement(
                "SELECT unique_count, duplicate_count, conflict_count FROM topic_stats WHERE topic = ?")) {
            select.setString(1, topic);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2), row.getLong(3)};
            }
        }
    }

    private static SortedMap<String, GroupPlan.TopicDelta> deltas(String topic, long unique, long duplicates,
                                                                  long conflicts) {
        GroupPlan.TopicDelta delta = new GroupPlan.TopicDelta();
        delta.unique = unique;
        delta.duplicates = duplicates;
        delta.conflicts = conflicts;
        return new TreeMap<>(Map.of(topic, delta));
    }
}
