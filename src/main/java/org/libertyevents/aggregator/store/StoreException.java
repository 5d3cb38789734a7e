package org.libertyevents.aggregator.store;

import jakarta.ejb.ApplicationException;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/** A store transaction that did not commit, classified by what the caller should do about it. */
@ApplicationException(rollback = true)
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What a failed store call means for its caller. */
    public enum Kind {
        /** Lost a race with another transaction (deadlock, serialization): retrying at once is expected to work. */
        CONFLICT,
        /** The database cannot be reached or is not ready: clients should retry later. */
        UNAVAILABLE,
        /** The database refused these rows: retrying them will fail again. */
        REJECTED,
        /**
         * The commit was sent but not confirmed: the connection failed during COMMIT, or PostgreSQL cut the commit's
         * wait for its synchronous standby. The rows may be stored (then a retry counts them as duplicates) or not;
         * the Idempotency-Keys the transaction answered must not be freed for a fresh run, nor broker entries
         * dead-lettered. Clients should retry later.
         */
        UNCONFIRMED
    }

    /**
     * Lost a race for a lock, as a deadlock does: 55P03 lock_not_available (PostgreSQL's lock_timeout, NOWAIT),
     * H2's lock timeout (HYT00) and concurrent update (90131).
     */
    private static final Set<String> LOST_A_LOCK = Set.of("55P03", "HYT00", "90131");
    /**
     * Classes a later attempt can pass: 08 connection, 53 insufficient resources, 57 operator intervention
     * (shutdown, cancel, cannot connect now), 58 system error (I/O).
     */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "58");
    /**
     * Single states of that kind: XX000 internal error, 25006 read-only transaction (a standby, or a primary being
     * demoted, during a failover), 25P03 idle-in-transaction timeout, 72000 snapshot too old; H2's database closed
     * (90098) and connection broken (90067).
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("XX000", "25006", "25P03", "72000", "90098", "90067");

    /**
     * 23514 check_violation naming the default payload partition. The service's tables have no CHECK constraints, so
     * this is PostgreSQL's partition constraint: a partition was attached while the insert ran, the insert routed a
     * row of the new partition's range to the default one with the partitions it started with, and PostgreSQL
     * refused it there. Run again, the statement sees the new partition: a lost race, not bad data.
     */
    private static final String CHECK_VIOLATION = "23514";
    private static final String DEFAULT_PARTITION = "\"events_default\"";

    /** A server that ended the session during COMMIT: admin shutdown, crash shutdown, cannot connect now. */
    private static final Set<String> OUTCOME_UNKNOWN = Set.of("57P01", "57P02", "57P03");

    private final Kind kind;
    private final String sqlState;

    public StoreException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, "");
    }

    private StoreException(Kind kind, String message, Throwable cause, String sqlState) {
        super(message, cause);
        this.kind = kind;
        this.sqlState = sqlState;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * What went wrong without the driver's message, which can name hosts, users and databases: for answers that
     * leave the server (readiness), while the log keeps the whole message.
     */
    public String summary() {
        return kind.name().toLowerCase(Locale.ROOT) + (sqlState.isEmpty() ? "" : " (SQLSTATE " + sqlState + ")");
    }

    /**
     * Classifies a JDBC failure by what a retry can fix, from its SQLSTATE (PostgreSQL's error-code appendix; H2
     * uses the same classes where they exist and codes of its own elsewhere). Only what the database would refuse
     * again, whenever asked (bad data, constraints, schema), is {@link Kind#REJECTED}: for a broker entry that
     * means a dead letter, so an acknowledged event must never get there for a passing condition.
     */
    static StoreException from(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Kind kind = racedAPartitionAttach(state, e.getMessage()) ? Kind.CONFLICT : kindOf(state);
        return new StoreException(kind, "store failed (SQLSTATE " + state + "): " + e.getMessage(), e, state);
    }

    /**
     * Classifies a failure of COMMIT itself: a lost connection (class 08, or the server shutting down or crashing
     * under it, 57P01..57P03) leaves the outcome unknown, {@link Kind#UNCONFIRMED}; anything else the server answered
     * (a serialization failure at commit...) means it rolled back, and is classified as {@link #from} does.
     */
    static StoreException fromCommit(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.isEmpty() || state.startsWith("08") || OUTCOME_UNKNOWN.contains(state)) {
            return new StoreException(Kind.UNCONFIRMED, "the outcome of the commit is unknown (SQLSTATE " + state
                    + "): " + e.getMessage(), e, state);
        }
        return from(e);
    }

    /** The relation's name is quoted in the message whatever the server's language (lc_messages). */
    private static boolean racedAPartitionAttach(String state, String message) {
        return CHECK_VIOLATION.equals(state) && message != null && message.contains(DEFAULT_PARTITION);
    }

    static Kind kindOf(String state) {
        if (state.startsWith("40") || LOST_A_LOCK.contains(state)) {
            return Kind.CONFLICT;
        }
        if (state.isEmpty() || state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2))
                || TRANSIENT_STATES.contains(state)) {
            return Kind.UNAVAILABLE;
        }
        return Kind.REJECTED;
    }

    /**
     * Finds what a failure from {@link EventStore#store} means, looking through the container's wrapping
     * (a failed commit surfaces as an EJB exception around the JDBC one).
     */
    public static StoreException classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StoreException store) {
                return store;
            }
            if (cause instanceof SQLException sql) {
                return from(sql);
            }
        }
        return new StoreException(Kind.UNAVAILABLE, "store failed: " + failure, failure);
    }
}
