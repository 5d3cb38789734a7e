package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The webhook subscriptions, shared by every instance: made, changed, leased and advanced here, read for their lag
 * and dead letters in {@link SubscriptionReads}. Settings change through {@link #change}, which moves a
 * subscription's {@code version}; delivery progress is written only by the instance holding its lease
 * ({@link #claim}), and only while both lease and version are still the ones it worked from ({@link #record}), so
 * that an instance that lost the lease, or works from settings changed since, cannot move the cursor back.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SubscriptionStore {

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    public void create(Subscription subscription) {
        LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO subscriptions (" + SubscriptionRows.COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, subscription.id());
                insert.setString(2, subscription.url());
                insert.setString(3, SubscriptionRows.topics(subscription.topics()));
                insert.setString(4, subscription.secret());
                insert.setString(5, subscription.previousSecret());
                SubscriptionRows.setInstant(insert, 6, subscription.previousUntil());
                insert.setInt(7, subscription.batchSize());
                insert.setString(8, subscription.onExhausted().name());
                insert.setString(9, subscription.state().name());
                insert.setString(10, subscription.stateReason());
                insert.setLong(11, subscription.cursor().tx());
                insert.setLong(12, subscription.cursor().seq());
                SubscriptionRows.setInstant(insert, 13, subscription.createdAt());
                insert.setLong(14, subscription.version());
                insert.setString(15, null);
                SubscriptionRows.setInstant(insert, 16, null);
                SubscriptionRows.setProgress(insert, 17, subscription.progress());
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
                SubscriptionRows.select(connection, "SELECT " + SubscriptionRows.COLUMNS + " FROM subscriptions WHERE id = ?", id).stream().findFirst());
    }

    /** Every subscription, oldest first. */
    public List<Subscription> list() {
        return LocalTransaction.run(dataSource, connection ->
                SubscriptionRows.select(connection, "SELECT " + SubscriptionRows.COLUMNS + " FROM subscriptions ORDER BY created_at, id", null));
    }

    /**
     * Changes a subscription's settings (and, where the change says so, its progress) under a row lock, and moves
     * its version, so that its holder starts again from what is stored now.
     *
     * @return the subscription as changed, or empty if there is none with this id
     */
    public Optional<Subscription> change(String id, UnaryOperator<Subscription> change) {
        return LocalTransaction.run(dataSource, connection -> {
            Optional<Subscription> current = SubscriptionRows.select(connection, "SELECT " + SubscriptionRows.COLUMNS
                    + " FROM subscriptions WHERE id = ? FOR UPDATE", id).stream().findFirst();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Subscription changed = change.apply(current.get());
            try (PreparedStatement update = connection.prepareStatement("UPDATE subscriptions SET "
                    + SubscriptionRows.SETTINGS_AND_PROGRESS + ", version = version + 1 WHERE id = ?")) {
                int next = SubscriptionRows.setSettingsAndProgress(update, changed);
                update.setString(next, id);
                update.executeUpdate();
            }
            return SubscriptionRows.select(connection, "SELECT " + SubscriptionRows.COLUMNS + " FROM subscriptions WHERE id = ?", id).stream()
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
                SubscriptionRows.setInstant(update, 2, until);
                update.setString(3, owner);
                SubscriptionRows.setInstant(update, 4, now);
                update.executeUpdate();
            }
            return SubscriptionRows.select(connection, "SELECT " + SubscriptionRows.COLUMNS
                    + " FROM subscriptions WHERE lease_owner = ? AND state = 'ACTIVE' ORDER BY id", owner);
        });
    }

    /**
     * Whether {@code owner} still holds the active subscription with these settings: read by a holder before each
     * page, so that a pause, a change or a deletion made on any instance stops it within a page.
     */
    public boolean current(String id, String owner, long version) {
        return LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM subscriptions WHERE id = ? "
                    + "AND lease_owner = ? AND version = ? AND state = 'ACTIVE'")) {
                select.setString(1, id);
                select.setString(2, owner);
                select.setLong(3, version);
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
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
                    + SubscriptionRows.SETTINGS_AND_PROGRESS + " WHERE id = ? AND lease_owner = ? AND version = ?")) {
                int next = SubscriptionRows.setSettingsAndProgress(update, subscription);
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
                    SubscriptionRows.setInstant(insert, 5, letter.failedAt());
                    insert.setInt(6, letter.attempts());
                    insert.setString(7, letter.lastError());
                    insert.executeUpdate();
                }
            }
            return true;
        });
    }

}
