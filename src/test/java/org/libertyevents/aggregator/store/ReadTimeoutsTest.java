package org.libertyevents.aggregator.store;

import jakarta.persistence.PersistenceException;
import jakarta.persistence.QueryTimeoutException;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReadTimeouts recognises a statement cancelled at its timeout through the wrapping JPA and EJB add. */
class ReadTimeoutsTest {

    @Test
    void aCancelledStatementIsATimeoutHoweverDeeplyWrapped() {
        SQLException cancelled = new SQLException("canceling statement due to statement timeout", "57014");

        assertTrue(ReadTimeouts.timedOut(cancelled));
        assertTrue(ReadTimeouts.timedOut(new RuntimeException(new PersistenceException(cancelled))));
        assertTrue(ReadTimeouts.timedOut(new QueryTimeoutException("timed out")));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(ReadTimeouts.timedOut(new PersistenceException(new SQLException("gone", "08006"))));
        assertFalse(ReadTimeouts.timedOut(new IllegalStateException("no cause")));
    }

    @Test
    void h2CancelsAStatementPastItsQueryTimeoutWithTheSameState() throws SQLException {
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:read-timeout;MODE=PostgreSQL");
             Statement slow = h2.createStatement()) {
            slow.setQueryTimeout(1);

            SQLException failure = assertThrows(SQLException.class,
                    () -> slow.executeQuery("SELECT sum(x) FROM system_range(1, 10000000000) WHERE MOD(x, 7) = 3"));

            assertTrue(ReadTimeouts.timedOut(failure), failure.getSQLState() + " " + failure.getMessage());
        }
    }
}
