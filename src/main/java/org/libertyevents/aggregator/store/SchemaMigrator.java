package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * Brings the schema to the latest version in one transaction: each numbered script under
 * {@code db/<product>/} runs once, recorded in {@code schema_version}. Scripts are idempotent DDL, and on
 * PostgreSQL an advisory lock keeps instances that start together from migrating at the same time.
 */
@Stateless
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    /** Every migration, oldest first; the script is {@code V<version>__<name>.sql}. */
    static final List<String> MIGRATIONS = List.of("events_and_counters", "broker_receipts", "payload_conflicts",
            "cloudevents_attributes", "idempotency_keys", "feed_order", "scoped_idempotency_keys",
            "broker_receipt_floors", "arrival_sequence", "event_keys_and_retention", "bulk_erasures",
            "key_age_index_on_demand", "hashed_event_keys", "webhook_subscriptions", "trace_context");

    /** An arbitrary key, the same in every instance of this service. */
    private static final long MIGRATION_LOCK = 0x4C45_4131L;

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    /** Applies the missing migrations and returns the database's dialect. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public Dialect migrate() {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            Dialect dialect = Dialect.of(connection);
            if (dialect == Dialect.POSTGRESQL) {
                statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            }
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                        version     INTEGER PRIMARY KEY,
                        description VARCHAR(200) NOT NULL,
                        applied_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)""");
            int current;
            try (ResultSet row = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                row.next();
                current = row.getInt(1);
            }
            for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
                String name = MIGRATIONS.get(version - 1);
                for (String sql : statements(dialect.scriptFolder() + "/V" + version + "__" + name + ".sql")) {
                    statement.execute(sql);
                }
                try (PreparedStatement record = connection.prepareStatement(
                        "INSERT INTO schema_version (version, description) VALUES (?, ?)")) {
                    record.setInt(1, version);
                    record.setString(2, name);
                    record.executeUpdate();
                }
                int applied = version;
                LOG.info(() -> "Applied schema migration V" + applied + ": " + name);
            }
            return dialect;
        } catch (SQLException e) {
            throw StoreException.from(e);
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.REJECTED, "cannot read migration script", e);
        }
    }

    /** The statements of a script: comment lines dropped, split at semicolons that end a line. */
    static List<String> statements(String resource) throws IOException {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing migration script " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String code = String.join("\n", text.lines().filter(line -> !line.strip().startsWith("--")).toList());
            return Arrays.stream(code.split(";\\s*(\\n|$)")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }
}
