package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/** Answers whether the database can be reached now, for readiness. */
@ApplicationScoped
public class DatabaseProbe {

    private static final int VALIDATION_TIMEOUT_SECONDS = 2;
    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class.getName());

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    /** The driver's last message, logged once per change rather than once per probe. */
    private volatile String lastLogged;

    /**
     * Empty when a connection is valid; otherwise what went wrong, without the driver's message (it can name hosts,
     * users and databases, and readiness answers anyone): that goes to the log.
     */
    public Optional<String> problem() {
        try (Connection connection = dataSource.getConnection()) {
            lastLogged = null;
            return connection.isValid(VALIDATION_TIMEOUT_SECONDS)
                    ? Optional.empty() : Optional.of("connection is not valid");
        } catch (SQLException e) {
            String detail = e.getMessage();
            if (!Objects.equals(detail, lastLogged)) {
                lastLogged = detail;
                LOG.warning(() -> "Database unreachable for readiness: " + detail);
            }
            return Optional.of("cannot connect" + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"));
        }
    }
}
