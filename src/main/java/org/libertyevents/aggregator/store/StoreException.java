package org.libertyevents.aggregator.store;

import jakarta.ejb.ApplicationException;

import java.sql.SQLException;
import java.util.Locale;

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
        REJECTED
    }

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

    /** Classifies a JDBC failure by its SQLSTATE class (the same classes in PostgreSQL and H2). */
    static StoreException from(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Kind kind;
        if (state.startsWith("40")) {
            kind = Kind.CONFLICT;
        } else if (state.startsWith("08") || state.startsWith("57") || state.startsWith("53") || state.isEmpty()) {
            kind = Kind.UNAVAILABLE;
        } else {
            kind = Kind.REJECTED;
        }
        return new StoreException(kind, "store failed (SQLSTATE " + state + "): " + e.getMessage(), e, state);
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
