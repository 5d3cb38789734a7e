package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a subscription's delivery left behind, for the API and the metrics: its lag, and its dead letters. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SubscriptionReads {

    /** Events counted behind a subscription, at most: counting a backlog of millions would cost a scan. */
    public static final int LAG_COUNT_CAP = 100_000;

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

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
                                SubscriptionRows.instant(rows, 4), rows.getInt(5), rows.getString(6)));
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
                    return new Lag(row.getLong(1), SubscriptionRows.instant(row, 2));
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

}
