package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;

import javax.sql.DataSource;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The webhook subscriptions, shared by every instance. Settings change through {@link #change}, which moves a
 * subscription's {@code version}; delivery progress is written only by the instance holding its lease
 * ({@link #claim}), and only while both lease and version are still the ones it worked from ({@link #record}), so
 * that an instance that lost the lease, or works from settings changed since, cannot move the cursor back.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SubscriptionStore {

    /** Events counted behind a subscription, at most: counting a backlog of millions would cost a scan. */
    public static final int LAG_COUNT_CAP = 100_000;

    private static final String COLUMNS = "id, url, topics, secret, previous_secret, previous_until, batch_size, "
            + "on_exhausted, state, state_reason, cursor_tx, cursor_seq, created_at, version, lease_owner, "
            + "lease_until, delivered, attempts, failures, first_failure_at, next_attempt_at, last_success_at, "
            + "last_error_at, last_error, dead_letters";
    private static final String SETTINGS_AND_PROGRESS = "url = ?, topics = ?, secret = ?, previous_secret = ?, "
            + "previous_until = ?, batch_size = ?, on_exhausted = ?, state = ?, state_reason = ?, cursor_tx = ?, "
            + "cursor_seq = ?, delivered = ?, attempts = ?, failures = ?, first_failure_at = ?, "
            + "next_attempt_at = ?, last_success_at = ?, last_error_at = ?, last_error = ?, dead_letters = ?";

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    public void create(Subscription subscription) {
        LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO subscriptions (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, subscription.id());
                insert.setString(2, subscription.url());
                insert.setString(3, topics(subscription.topics()));
                insert.setString(4, subscription.secret());
                insert.setString(5, subscription.previousSecret());
                setInstant(insert, 6, subscription.previousUntil());
                insert.setInt(7, subscription.batchSize());
                insert.setString(8, subscription.onExhausted().name());
                insert.setString(9, subscription.state().name());
                insert.setString(10, subscription.stateReason());
                insert.setLong(11, subscription.cursor().tx());
                insert.setLong(12, subscription.cursor().seq());
                setInstant(insert, 13, subscription.createdAt());
                insert.setLong(14, subscription.version());
                insert.setString(15, null);
                setInstant(insert, 16, null);
                setProgress(insert, 17, subscription.progress());
                insert.executeUpdate();
            }
            return null;
        });
    }

    public long count() {
        return LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM subscriptions");
                 ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    public Optional<Subscription> find(String id) {
        return LocalTransaction.run(dataSource, connection ->
                select(connection, "SELECT " + COLUMNS + " FROM subscriptions WHERE id = ?", id).stream().findFirst());
    }

    /** Every subscription, oldest first. */
    public List<Subscription> list() {
        return LocalTransaction.run(dataSource, connection ->
                select(connection, "SELECT " + COLUMNS + " FROM subscriptions ORDER BY created_at, id", null));
    }

    /**
     * Changes a subscription's settings (and, where the change says so, its progress) under a row lock, and moves
     * its version, so that its holder starts again from what is stored now.
     *
     * @return the subscription as changed, or empty if there is none with this id
     */
    public Optional<Subscription> change(String id, UnaryOperator<Subscription> change) {
        return LocalTransaction.run(dataSource, connection -> {
            Optional<Subscription> current = select(connection, "SELECT " + COLUMNS
                    + " FROM subscriptions WHERE id = ? FOR UPDATE", id).stream().findFirst();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Subscription changed = change.apply(current.get());
            try (PreparedStatement update = connection.prepareStatement("UPDATE subscriptions SET "
                    + SETTINGS_AND_PROGRESS + ", version = version + 1 WHERE id = ?")) {
                int next = setSettingsAndProgress(update, changed);
                update.setString(next, id);
                update.executeUpdate();
            }
            return select(connection, "SELECT " + COLUMNS + " FROM subscriptions WHERE id = ?", id).stream()
                    .findFirst();
        });
    }

    public boolean delete(String id) {
        return LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM subscriptions WHERE id = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate() == 1;
            }
        });
    }

    /**
     * Takes the lease of every active subscription no live instance holds, renews those {@code owner} holds, and
     * returns all that {@code owner} holds now, until {@code until}.
     */
    public List<Subscription> claim(String owner, Instant now, Instant until) {
        return LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE subscriptions SET lease_owner = ?, "
                    + "lease_until = ? WHERE state = 'ACTIVE' AND (lease_owner IS NULL OR lease_owner = ? "
                    + "OR lease_until < ?)")) {
                update.setString(1, owner);
                setInstant(update, 2, until);
                update.setString(3, owner);
                setInstant(update, 4, now);
                update.executeUpdate();
            }
            return select(connection, "SELECT " + COLUMNS
                    + " FROM subscriptions WHERE lease_owner = ? AND state = 'ACTIVE' ORDER BY id", owner);
        });
    }

    /** Gives up every lease {@code owner} holds (a graceful stop), so that another instance takes over at once. */
    public void release(String owner) {
        LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE subscriptions SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?")) {
                update.setString(1, owner);
                update.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Writes a holder's delivery progress (cursor, counters, state) and the events it gave up on, if {@code owner}
     * still holds the subscription's lease and its settings are still those of {@code subscription.version()}.
     *
     * @return false, having written nothing, when the holder lost the lease or the settings changed
     */
    public boolean record(Subscription subscription, String owner, List<DeadLetter> deadLetters) {
        return LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE subscriptions SET "
                    + SETTINGS_AND_PROGRESS + " WHERE id = ? AND lease_owner = ? AND version = ?")) {
                int next = setSettingsAndProgress(update, subscription);
                update.setString(next, subscription.id());
                update.setString(next + 1, owner);
                update.setLong(next + 2, subscription.version());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            for (DeadLetter letter : deadLetters) {
                // Another holder may have given up on the same event before (at least once): the latest counts.
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM subscription_dead_letters WHERE subscription_id = ? AND webhook_id = ?")) {
                    delete.setString(1, subscription.id());
                    delete.setString(2, letter.webhookId());
                    delete.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO subscription_dead_letters "
                        + "(subscription_id, webhook_id, topic, event_id, failed_at, attempts, last_error) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, subscription.id());
                    insert.setString(2, letter.webhookId());
                    insert.setString(3, letter.topic());
                    insert.setString(4, letter.eventId());
                    setInstant(insert, 5, letter.failedAt());
                    insert.setInt(6, letter.attempts());
                    insert.setString(7, letter.lastError());
                    insert.executeUpdate();
                }
            }
            return true;
        });
    }

    /** A subscription's dead letters, the most recent first. */
    public List<DeadLetter> deadLetters(String id, int limit) {
        return LocalTransaction.run(dataSource, connection -> {
            List<DeadLetter> letters = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT webhook_id, topic, event_id, "
                    + "failed_at, attempts, last_error FROM subscription_dead_letters WHERE subscription_id = ? "
                    + "ORDER BY failed_at DESC, webhook_id FETCH FIRST " + limit + " ROWS ONLY")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        letters.add(new DeadLetter(rows.getString(1), rows.getString(2), rows.getString(3),
                                instant(rows, 4), rows.getInt(5), rows.getString(6)));
                    }
                }
            }
            return letters;
        });
    }

    /**
     * How far a subscription is behind the feed: the events past its cursor (at most {@value #LAG_COUNT_CAP}) and
     * when the oldest of them was received, or null when it is caught up.
     */
    public Lag lag(Subscription subscription) {
        List<String> topics = subscription.topics();
        String filter = topics == null ? "" : " AND topic IN (" + "?, ".repeat(topics.size() - 1) + "?)";
        String sql = "SELECT count(*), min(received_at) FROM (SELECT received_at FROM events e WHERE e.tx >= ? "
                + "AND (e.tx > ? OR e.seq > ?) AND e.tx < (SELECT tx FROM events_horizon)" + filter
                + " ORDER BY e.tx, e.seq FETCH FIRST " + LAG_COUNT_CAP + " ROWS ONLY) behind";
        return LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setLong(1, subscription.cursor().tx());
                select.setLong(2, subscription.cursor().tx());
                select.setLong(3, subscription.cursor().seq());
                for (int i = 0; topics != null && i < topics.size(); i++) {
                    select.setString(4 + i, topics.get(i));
                }
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return new Lag(row.getLong(1), instant(row, 2));
                }
            }
        });
    }

    /**
     * How far a subscription is behind.
     *
     * @param events       events past its cursor, at most {@link #LAG_COUNT_CAP}
     * @param oldestWaiting when the oldest of them was received, or null if there is none
     */
    public record Lag(long events, Instant oldestWaiting) {
    }

    private static List<Subscription> select(Connection connection, String sql, String parameter)
            throws SQLException {
        List<Subscription> subscriptions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    subscriptions.add(new Subscription(row.getString(1), row.getString(2), topics(row.getString(3)),
                            row.getString(4), row.getString(5), instant(row, 6), row.getInt(7),
                            Subscription.Exhausted.valueOf(row.getString(8)),
                            Subscription.State.valueOf(row.getString(9)), row.getString(10),
                            new FeedPosition(row.getLong(11), row.getLong(12)), instant(row, 13), row.getLong(14),
                            row.getString(15), instant(row, 16), new DeliveryProgress(row.getLong(17),
                            row.getLong(18), row.getInt(19), instant(row, 20), instant(row, 21), instant(row, 22),
                            instant(row, 23), row.getString(24), row.getLong(25))));
                }
            }
        }
        return subscriptions;
    }

    /** Sets the columns of {@link #SETTINGS_AND_PROGRESS}; returns the next parameter index. */
    private static int setSettingsAndProgress(PreparedStatement update, Subscription subscription)
            throws SQLException {
        update.setString(1, subscription.url());
        update.setString(2, topics(subscription.topics()));
        update.setString(3, subscription.secret());
        update.setString(4, subscription.previousSecret());
        setInstant(update, 5, subscription.previousUntil());
        update.setInt(6, subscription.batchSize());
        update.setString(7, subscription.onExhausted().name());
        update.setString(8, subscription.state().name());
        update.setString(9, subscription.stateReason());
        update.setLong(10, subscription.cursor().tx());
        update.setLong(11, subscription.cursor().seq());
        return setProgress(update, 12, subscription.progress());
    }

    private static int setProgress(PreparedStatement statement, int first, DeliveryProgress progress)
            throws SQLException {
        statement.setLong(first, progress.delivered());
        statement.setLong(first + 1, progress.attempts());
        statement.setInt(first + 2, progress.failures());
        setInstant(statement, first + 3, progress.firstFailureAt());
        setInstant(statement, first + 4, progress.nextAttemptAt());
        setInstant(statement, first + 5, progress.lastSuccessAt());
        setInstant(statement, first + 6, progress.lastErrorAt());
        statement.setString(first + 7, progress.lastError());
        statement.setLong(first + 8, progress.deadLetters());
        return first + 9;
    }

    /** Topics as a JSON array of strings, so that no character of a topic needs escaping by hand; null is all. */
    private static String topics(List<String> topics) {
        if (topics == null) {
            return null;
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        topics.forEach(array::add);
        return array.build().toString();
    }

    private static List<String> topics(String json) {
        if (json == null) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readArray().getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
