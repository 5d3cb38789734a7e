package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Idempotency keys and the first response given to each, in the database so that they hold across restarts and
 * instances. Every call commits on its own ({@link LocalTransaction}): a claim must be visible to a concurrent retry at
 * once, whatever the request does next. A request thread waits on these commits: a claim does not wait for a
 * synchronous standby at all, and the others wait at most the publish timeout, past which the call fails as
 * {@link StoreException.Kind#UNCONFIRMED} instead of holding the thread until the standby is back. A key is answered by the transaction that stores its request's events
 * ({@link KeyedAnswer}), or here when no events were committed for it.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class IdempotencyStore {

    /** A response kept for replay. */
    public record StoredResponse(int status, String contentType, String headers, String body) {
    }

    /** What a claim found. */
    public sealed interface Claim {
        /** The key is new (or expired, or abandoned): this request goes ahead and owns it. */
        record Claimed() implements Claim {
        }

        /** The same request was answered before: replay this. */
        record Replay(StoredResponse response) implements Claim {
        }

        /** The key was used for another request. */
        record Mismatch() implements Claim {
        }

        /** The first request with this key is still being processed. */
        record InFlight() implements Claim {
        }
    }

    private static final Logger LOG = Logger.getLogger(IdempotencyStore.class.getName());
    private static final String POSTGRESQL = "PostgreSQL";
    /**
     * A claim does not wait for a synchronous standby: the transaction that answers the key (the events', or
     * {@link #complete}) does, and its confirmation covers the claim written before it in the WAL. A claim lost in
     * a failover only frees a key whose request stored nothing the new primary has, so its retry runs afresh.
     */
    private static final String LOCAL_COMMIT = "SET LOCAL synchronous_commit = local";

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    @Inject
    @ConfigProperty(name = "publish.timeout.seconds", defaultValue = "30")
    private long commitWaitSeconds;

    /**
     * Claims {@code key} for a request with this fingerprint, unless it is taken. An expired key, or one whose
     * first request has been in flight longer than {@code abandonedAfter} (its instance died), is free again. Should
     * that request's transaction still be running, whichever transaction commits first, its or the new claim's,
     * answers the key, and the other rolls back ({@link IdempotencyKeyTakenException}).
     */
    public Claim claim(String key, String fingerprint, Duration ttl, Duration abandonedAfter) {
        Instant now = Instant.now();
        return inTransaction(connection -> {
            if (POSTGRESQL.equals(connection.getMetaData().getDatabaseProductName())) {
                try (Statement local = connection.createStatement()) {
                    local.execute(LOCAL_COMMIT);
                }
            }
            try (PreparedStatement free = connection.prepareStatement("DELETE FROM idempotency_keys "
                    + "WHERE idempotency_key = ? AND (expires_at < ? OR (status IS NULL AND created_at < ?))")) {
                free.setString(1, key);
                free.setObject(2, now.atOffset(ZoneOffset.UTC));
                free.setObject(3, now.minus(abandonedAfter).atOffset(ZoneOffset.UTC));
                free.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO idempotency_keys "
                    + "(idempotency_key, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING")) {
                insert.setString(1, key);
                insert.setString(2, fingerprint);
                insert.setObject(3, now.atOffset(ZoneOffset.UTC));
                insert.setObject(4, now.plus(ttl).atOffset(ZoneOffset.UTC));
                if (insert.executeUpdate() == 1) {
                    return new Claim.Claimed();
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT fingerprint, status, content_type, "
                    + "headers, body FROM idempotency_keys WHERE idempotency_key = ?")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        // Freed by its owner between our insert and this read: let the client try again.
                        return new Claim.InFlight();
                    }
                    if (!row.getString(1).equals(fingerprint)) {
                        return new Claim.Mismatch();
                    }
                    int status = row.getInt(2);
                    if (row.wasNull()) {
                        return new Claim.InFlight();
                    }
                    return new Claim.Replay(new StoredResponse(status, row.getString(3), row.getString(4),
                            row.getString(5)));
                }
            }
        });
    }

    /**
     * Records an answer given without committing events (a 4xx, a 202 from the broker) for the request that holds
     * {@code key}; an answer that came with events is written by their transaction ({@link KeyedAnswer}).
     */
    public void complete(String key, String fingerprint, StoredResponse response) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE idempotency_keys SET status = ?, "
                    + "content_type = ?, headers = ?, body = ? WHERE idempotency_key = ? AND fingerprint = ? "
                    + "AND status IS NULL")) {
                update.setInt(1, response.status());
                update.setString(2, response.contentType());
                update.setString(3, response.headers());
                update.setString(4, response.body());
                update.setString(5, key);
                update.setString(6, fingerprint);
                return update.executeUpdate();
            }
        });
    }

    /**
     * Frees a key whose request ended without an answer worth keeping (a 5xx): the retry runs afresh. Only once
     * nothing of the request can still commit: a transaction that did commit has answered the key, and an answered
     * key is never freed.
     */
    public void release(String key, String fingerprint) {
        inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM idempotency_keys "
                    + "WHERE idempotency_key = ? AND fingerprint = ? AND status IS NULL")) {
                delete.setString(1, key);
                delete.setString(2, fingerprint);
                return delete.executeUpdate();
            }
        });
    }

    /** Drops expired keys every ten minutes (a non-persistent timer: a missed run is simply the next one's work). */
    @Schedule(minute = "*/10", hour = "*", persistent = false)
    void prune() {
        try {
            inTransaction(connection -> {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM idempotency_keys WHERE expires_at < ?")) {
                    delete.setObject(1, Instant.now().atOffset(ZoneOffset.UTC));
                    return delete.executeUpdate();
                }
            });
        } catch (StoreException e) {
            LOG.log(Level.FINE, "Expired idempotency keys not pruned; the next run will", e);
        }
    }

    private <T> T inTransaction(LocalTransaction.Work<T> work) {
        return LocalTransaction.run(dataSource, Duration.ofSeconds(commitWaitSeconds), work);
    }
}
