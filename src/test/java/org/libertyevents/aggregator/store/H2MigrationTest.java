package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Schema version 10 on an embedded H2 database that holds events of version 9: every key is kept, with its hash. */
class H2MigrationTest {

    private static final int EVENTS = 10_000;

    @Test
    void theKeysOfStoredEventsMoveToTheKeyTableAndStayTaken() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "");
             Statement sql = connection.createStatement()) {
            migrate(sql, 1, 9);
            sql.executeUpdate("INSERT INTO events (topic, event_id, event_time, source, payload, received_at, "
                    + "payload_hash) SELECT 't', 'e-' || \"X\", CURRENT_TIMESTAMP, 's', '{}', CURRENT_TIMESTAMP, "
                    + "'" + GroupPlan.payloadHash("{}") + "' FROM SYSTEM_RANGE(1, " + EVENTS + ")");
            migrate(sql, 10, SchemaMigrator.MIGRATIONS.size());

            assertEquals(EVENTS, count(sql, "SELECT COUNT(*) FROM event_keys"));
            assertEquals(EVENTS, count(sql, "SELECT COUNT(*) FROM events"));
            H2Writer writer = new H2Writer();
            Event resent = new Event("t", "e-7", Instant.now(), "s", "{}", Instant.now());
            Event fresh = new Event("t", "new", Instant.now(), "s", "{}", Instant.now());
            String kept = GroupPlan.keptHash(GroupPlan.payloadHash("{}"));
            assertEquals(Set.of(fresh.key()), writer.insertNew(connection, List.of(resent, fresh),
                    List.of(kept, kept)), "a migrated key is taken");
            assertEquals(Map.of(new EventKey("t", "e-7"), kept),
                    writer.storedHashes(connection, List.of(new EventKey("t", "e-7"))), "its hash is kept");
        }
    }

    private static void migrate(Statement sql, int from, int to) throws Exception {
        for (int version = from; version <= to; version++) {
            for (String statement : SchemaMigrator.statements(
                    "db/h2/V" + version + "__" + SchemaMigrator.MIGRATIONS.get(version - 1) + ".sql")) {
                sql.execute(statement);
            }
        }
    }

    private static long count(Statement sql, String query) throws SQLException {
        try (ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }
}
