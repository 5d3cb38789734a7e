package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Answers whether the database can be reached now, for readiness. */
@ApplicationScoped
public class DatabaseProbe {

    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    /** Empty when a connection is valid; otherwise what went wrong. */
    public Optional<String> problem() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(VALIDATION_TIMEOUT_SECONDS)
                    ? Optional.empty() : Optional.of("connection is not valid");
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }
}
