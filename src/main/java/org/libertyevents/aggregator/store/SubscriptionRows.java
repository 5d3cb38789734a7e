package org.libertyevents.aggregator.store;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;

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

/** The {@code subscriptions} table's rows as {@link Subscription}s, and back. */
final class SubscriptionRows {

    static final String COLUMNS = "id, url, topics, secret, previous_secret, previous_until, batch_size, "
            + "on_exhausted, state, state_reason, cursor_tx, cursor_seq, created_at, version, lease_owner, "
            + "lease_until, delivered, attempts, failures, first_failure_at, next_attempt_at, last_success_at, "
            + "last_error_at, last_error, dead_letters";
    static final String SETTINGS_AND_PROGRESS = "url = ?, topics = ?, secret = ?, previous_secret = ?, "
            + "previous_until = ?, batch_size = ?, on_exhausted = ?, state = ?, state_reason = ?, cursor_tx = ?, "
            + "cursor_seq = ?, delivered = ?, attempts = ?, failures = ?, first_failure_at = ?, "
            + "next_attempt_at = ?, last_success_at = ?, last_error_at = ?, last_error = ?, dead_letters = ?";

    private SubscriptionRows() {
    }

    /** The subscriptions a query of {@link #COLUMNS} finds, with one string parameter or none (null). */
    static List<Subscription> select(Connection connection, String sql, String parameter) throws SQLException {
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
    static int setSettingsAndProgress(PreparedStatement update, Subscription subscription)
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

    static int setProgress(PreparedStatement statement, int first, DeliveryProgress progress)
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
    static String topics(List<String> topics) {
        if (topics == null) {
            return null;
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        topics.forEach(array::add);
        return array.build().toString();
    }

    static List<String> topics(String json) {
        if (json == null) {
            return null;
        }
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readArray().getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
        }
    }

    static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
