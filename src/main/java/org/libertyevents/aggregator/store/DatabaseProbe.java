package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Answers whether the database can take writes now, for readiness: it can be reached, and on PostgreSQL a commit
 * would not wait for a synchronous standby that is gone (every write would hang until its publish timeout).
 */
@ApplicationScoped
public class DatabaseProbe {

    private static final int VALIDATION_TIMEOUT_SECONDS = 2;
    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class.getName());

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    private static final String POSTGRESQL = "PostgreSQL";
    private static final String NO_STANDBY = "no synchronous standby is connected: commits wait until one is "
            + "(synchronous_standby_names is set)";
    /**
     * Whether this session's commits would wait for a synchronous standby that is not there. A role without
     * pg_read_all_stats sees a WAL sender's row but not its state (NULL): any connected standby then counts.
     */
    private static final String MISSING_STANDBY = """
            SELECT current_setting('synchronous_standby_names') <> ''
               AND current_setting('synchronous_commit') IN ('on', 'remote_write', 'remote_apply')
               AND NOT EXISTS (SELECT 1 FROM pg_stat_replication
                               WHERE sync_state IS NULL OR sync_state IN ('sync', 'quorum'))""";

    /** The driver's last message, logged once per change rather than once per probe. */
    private volatile String lastLogged;

    /**
     * Empty when a connection is valid; otherwise what went wrong, without the driver's message (it can name hosts,
     * users and databases, and readiness answers anyone): that goes to the log.
     */
    public Optional<String> problem() {
        try (Connection connection = dataSource.getConnection()) {
            lastLogged = null;
            if (!connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                return Optional.of("connection is not valid");
            }
            return POSTGRESQL.equals(connection.getMetaData().getDatabaseProductName())
                    && missesSynchronousStandby(connection) ? Optional.of(NO_STANDBY) : Optional.empty();
        } catch (SQLException e) {
            String detail = e.getMessage();
            if (!Objects.equals(detail, lastLogged)) {
                lastLogged = detail;
                LOG.warning(() -> "Database unreachable for readiness: " + detail);
            }
            return Optional.of("cannot connect" + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
        }
    }

    private static boolean missesSynchronousStandby(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(VALIDATION_TIMEOUT_SECONDS);
            try (ResultSet row = statement.executeQuery(MISSING_STANDBY)) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}
