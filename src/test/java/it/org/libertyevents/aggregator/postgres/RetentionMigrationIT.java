package it.org.libertyevents.aggregator.postgres;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.store.MigrationScripts;
import org.microshed.testing.jupiter.MicroShedTest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schema versions 10-13 (keys apart from payloads and kept as hashes, payloads partitioned) applied in place to a
 * database of version 9 that already holds {@code it.migration.events} events (1,000,000 by default), as an
 * instance of the test's own starts on it: no key lost, every stored event still readable, a resend of one a
 * duplicate and another payload under its key a conflict, new events stored after them. The oracle is what the test put in the table.
 */
@MicroShedTest
class RetentionMigrationIT {

    private static final int INSTANCE = 29;
    private static final long EVENTS = Long.getLong("it.migration.events", 1_000_000);
    private static final String TOPIC = "migration";
    private static String url;
    private static String instance;

    @BeforeAll
    static void start() throws Exception {
        Api.awaitReady();
        url = ItDatabase.freshDatabase("migration");
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    CREATE TABLE schema_version (
                        version     INTEGER PRIMARY KEY,
                        description VARCHAR(200) NOT NULL,
                        applied_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)""");
            for (int version = 1; version <= 9; version++) {
                for (String statement : MigrationScripts.postgres(version)) {
                    sql.execute(statement);
                }
                sql.execute("INSERT INTO schema_version (version, description) VALUES (" + version + ", '"
                        + MigrationScripts.name(version) + "')");
            }
            // Payloads in the service's canonical form, with the hash it keeps of that text.
            sql.execute("SET synchronous_commit = off");
            sql.executeUpdate("""
                    INSERT INTO events (topic, event_id, event_time, source, payload, received_at, payload_hash)
                    SELECT '%s', 'e-' || i, now(), 'it', CAST('{"n":' || i || '}' AS jsonb), now(),
                           encode(sha256(convert_to('{"n":' || i || '}', 'UTF8')), 'hex')
                    FROM generate_series(CAST(1 AS bigint), %d) AS i""".formatted(TOPIC, EVENTS));
            sql.executeUpdate("INSERT INTO topic_stats (topic, unique_count, duplicate_count, conflict_count) "
                    + "VALUES ('" + TOPIC + "', " + EVENTS + ", 0, 0)");
        }
        long started = System.nanoTime();
        instance = Instances.start(INSTANCE, Map.of("DB_URL", url));
        double seconds = (System.nanoTime() - started) / 1e9;
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("VACUUM ANALYZE event_keys");
            System.out.printf("MIGRATION V10-V13 of %,d events: the instance was ready %.1f s after its start; "
                    + "%d bytes per remembered key (event_keys with its indexes)%n", EVENTS, seconds,
                    single("SELECT pg_total_relation_size('event_keys') / " + EVENTS));
        }
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    @Test
    void everyKeyIsRememberedAndEveryPayloadKept() throws SQLException {
        assertTrue(single("SELECT MAX(version) FROM schema_version") >= 10, "migrated");
        assertEquals(EVENTS, single("SELECT COUNT(*) FROM events_v9 e JOIN event_keys k "
                + "ON k.key_hash = event_key_hash(e.topic, e.event_id)"), "each old event's key, by its hash");
        assertEquals(EVENTS, single("SELECT COUNT(*) FROM events WHERE event_id LIKE 'e-%'"));
        assertEquals(0, single("SELECT COUNT(*) FROM events_v9 e WHERE NOT EXISTS (SELECT 1 FROM event_keys k "
                + "WHERE k.key_hash = event_key_hash(e.topic, e.event_id))"), "a payload without its key");
        assertEquals(EVENTS, single("SELECT COUNT(*) FROM events_v9"), "the old table is the first partition");

        JsonObject read = Api.getFrom(instance, "/events/" + TOPIC + "/e-" + EVENTS / 2).json();
        assertEquals(EVENTS / 2, read.getJsonObject("payload").getJsonNumber("n").longValue());
    }

    @Test
    void aResendAfterTheMigrationIsADuplicateOrAConflictAndNewEventsAreStored() {
        String batch = "[" + event("e-1", "{\"n\":1}") + "," + event("e-" + EVENTS, "{\"n\":" + EVENTS + "}") + ","
                + event("e-2", "{\"n\":-2}") + "," + event("after-migration", "{\"n\":0}") + "]";
        Reply reply = Api.publishTo(instance, batch, false);
        assertEquals(200, reply.status(), reply.brief());
        List<String> verdicts = reply.array("results").stream()
                .map(result -> result.asJsonObject().getString("status")).toList();
        assertEquals(List.of("duplicate", "duplicate", "conflict", "stored"), verdicts);

        JsonObject stored = Api.getFrom(instance, "/events?order=desc&limit=1&topic=" + TOPIC).json()
                .getJsonArray("events").getJsonObject(0);
        assertEquals("after-migration", stored.getString("event_id"), "seq goes on after the migrated rows");
        JsonObject counters = Api.topicEntryAt(instance, TOPIC);
        assertTrue(counters.getJsonNumber("unique").longValue() >= EVENTS + 1, counters.toString());
    }

    private static String event(String id, String payload) {
        return "{\"topic\":\"" + TOPIC + "\",\"event_id\":\"" + id + "\",\"timestamp\":\"2026-12-02T10:00:00Z\","
                + "\"source\":\"it\",\"payload\":" + payload + "}";
    }

    private static long single(String query) throws SQLException {
        try (Connection connection = connect(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url, System.getProperty("it.postgres.user"),
                System.getProperty("it.postgres.password"));
    }
}
