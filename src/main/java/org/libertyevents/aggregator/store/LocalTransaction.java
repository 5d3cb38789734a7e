package org.libertyevents.aggregator.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A write transaction that this code commits itself, on one connection, so that the outcome of the COMMIT is ours to
 * judge. Under a container transaction the transaction manager commits after the bean method has returned, and two
 * outcomes get lost there: a connection that fails during COMMIT (it may or may not have committed), and
 * PostgreSQL's warning when a commit's wait for its synchronous standby is cancelled ("canceling wait for
 * synchronous replication ... The transaction has already committed locally, but might not have been replicated to
 * the standby"), which the driver reports as a warning on a commit that succeeded. Both become
 * {@link StoreException.Kind#UNCONFIRMED}: neither a success to answer 200 for nor a failure to run afresh.
 */
final class LocalTransaction {

    private static final Logger LOG = Logger.getLogger(LocalTransaction.class.getName());

    /** The transaction's work on its connection. */
    @FunctionalInterface
    interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private LocalTransaction() {
    }

    /**
     * Runs {@code work} in a transaction of its own and commits it.
     *
     * @throws StoreException when it did not commit (classified by SQLSTATE; rolled back) or when the commit is not
     *                        confirmed ({@link StoreException.Kind#UNCONFIRMED}: its rows may be stored)
     */
    static <T> T run(DataSource dataSource, Work<T> work) {
        return run(dataSource, null, work);
    }

    /**
     * {@link #run(DataSource, Work)} with a bound on the commit's wait for a synchronous standby: past
     * {@code commitWait} the driver cancels it, the transaction stays committed locally and this throws
     * {@link StoreException.Kind#UNCONFIRMED}. PostgreSQL's {@code statement_timeout} cannot do this: it is disarmed
     * before COMMIT does its work. Only for small bookkeeping writes that a request waits on: a commit answered before
     * its standby confirmed it is visible to every later read.
     *
     * @param commitWait the bound, or null for none
     */
    static <T> T run(DataSource dataSource, Duration commitWait, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.on(connection);
                connection.clearWarnings();
                if (commitWait == null) {
                    commit(connection);
                } else {
                    commitWithin(connection, commitWait);
                }
                connection.setAutoCommit(true);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    private static void commit(Connection connection) {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw StoreException.fromCommit(e);
        }
        confirmed(warnings(connection::getWarnings));
    }

    /** COMMIT as a statement, since only a statement has a timeout (the driver then sends a cancel request). */
    private static void commitWithin(Connection connection, Duration wait) {
        try (Statement commit = connection.createStatement()) {
            commit.setQueryTimeout((int) Math.max(1, wait.toSeconds()));
            try {
                commit.execute("COMMIT");
            } catch (SQLException e) {
                throw StoreException.fromCommit(e);
            }
            confirmed(warnings(commit::getWarnings));
        } catch (SQLException e) {
            throw StoreException.fromCommit(e);
        }
    }

    private static SQLWarning warnings(Warnings source) {
        try {
            return source.get();
        } catch (SQLException e) {
            // Committed, and the connection failed at once: whether a warning came is unknown.
            throw StoreException.fromCommit(e);
        }
    }

    /** Where a commit's warnings are kept: the connection, or the statement that ran COMMIT. */
    @FunctionalInterface
    private interface Warnings {
        SQLWarning get() throws SQLException;
    }

    private static void confirmed(SQLWarning warning) {
        if (warning != null) {
            // PostgreSQL warns at the COMMIT of a transaction in progress only when it cut the wait for a standby.
            throw new StoreException(StoreException.Kind.UNCONFIRMED, "the commit was not confirmed (SQLSTATE "
                    + warning.getSQLState() + "): " + warning.getMessage(), warning);
        }
    }

    /** Rolls back after a failure; a connection too broken to roll back has nothing left to roll back. */
    private static void rollback(Connection connection, Exception failure) {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            LOG.fine(() -> "Rollback after " + failure + " failed: " + e);
        }
    }
}
