package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SchemaMigrator.statements: each migration script splits into whole statements with no comments and no blanks. */
class SchemaMigratorTest {

    @ParameterizedTest
    @ValueSource(strings = {"db/postgresql/V1__events_and_counters.sql", "db/h2/V1__events_and_counters.sql"})
    void firstMigrationSplitsIntoItsThreeStatements(String resource) throws IOException {
        List<String> statements = SchemaMigrator.statements(resource);

        assertEquals(3, statements.size(), () -> String.join("\n---\n", statements));
        assertTrue(statements.get(0).startsWith("CREATE TABLE IF NOT EXISTS events ("), statements.get(0));
        assertTrue(statements.get(0).endsWith("CONSTRAINT events_topic_event_id_key UNIQUE (topic, event_id)\n)"),
                statements.get(0));
        assertEquals("CREATE INDEX IF NOT EXISTS events_topic_seq_idx ON events (topic, seq)", statements.get(1));
        assertTrue(statements.get(2).startsWith("CREATE TABLE IF NOT EXISTS topic_stats ("), statements.get(2));
        assertTrue(statements.get(2).endsWith("duplicate_count  BIGINT NOT NULL DEFAULT 0\n)"), statements.get(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"db/postgresql/V1__events_and_counters.sql", "db/h2/V1__events_and_counters.sql"})
    void statementsHoldNoCommentsSemicolonsOrBlankLines(String resource) throws IOException {
        for (String statement : SchemaMigrator.statements(resource)) {
            assertFalse(statement.isBlank());
            assertEquals(statement.strip(), statement);
            assertFalse(statement.contains("--"), statement);
            assertFalse(statement.contains(";"), statement);
            assertFalse(statement.contains("\n\n"), statement);
            assertTrue(statement.lines().noneMatch(String::isBlank), statement);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyMigrationHasAScriptForEveryDialect(Dialect dialect) throws IOException {
        for (int version = 1; version <= SchemaMigrator.MIGRATIONS.size(); version++) {
            String resource = dialect.scriptFolder() + "/V" + version + "__" + SchemaMigrator.MIGRATIONS.get(version - 1)
                    + ".sql";
            assertFalse(SchemaMigrator.statements(resource).isEmpty(), resource);
        }
    }

    @Test
    void missingScriptIsAnIOExceptionNamingIt() {
        IOException thrown = assertThrows(IOException.class, () -> SchemaMigrator.statements("db/h2/V9__nothing.sql"));

        assertTrue(thrown.getMessage().contains("db/h2/V9__nothing.sql"), thrown.getMessage());
    }
}
