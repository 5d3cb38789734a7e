package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.config.ReadSettings;
import org.libertyevents.aggregator.config.RetentionSettings;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads {@link Storage}: from the catalog on PostgreSQL, by counting on the embedded H2. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StorageReader {

    private static final String POSTGRES_SIZES = """
            SELECT (SELECT COALESCE(SUM(GREATEST(c.reltuples, 0)), 0) FROM pg_partition_tree('events') t
                    JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf),
                   (SELECT COALESCE(SUM(pg_total_relation_size(t.relid)), 0) FROM pg_partition_tree('events') t
                    WHERE t.isleaf),
                   (SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = CAST('event_keys' AS regclass)),
                   pg_total_relation_size('event_keys'),
                   (SELECT MIN(received_from) FROM event_partitions),
                   (SELECT MIN(received_to) FROM event_partitions)""";

    /** H2 counts its rows exactly (an embedded database is small) and reports no sizes per table. */
    private static final String H2_SIZES = """
            SELECT (SELECT COUNT(*) FROM events), 0, (SELECT COUNT(*) FROM event_keys), 0,
                   (SELECT MIN(received_at) FROM events), (SELECT MIN(received_at) FROM events)""";

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    @EJB
    private SchemaState schema;

    @Inject
    private ReadSettings reads;

    @Inject
    private RetentionSettings retention;

    public Storage read() {
        Dialect dialect = schema.dialect().orElseThrow(() -> new StoreException(StoreException.Kind.UNAVAILABLE,
                "the database schema is not ready: " + schema.lastError(), null));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     dialect == Dialect.POSTGRESQL ? POSTGRES_SIZES : H2_SIZES)) {
            select.setQueryTimeout(Math.toIntExact(reads.timeout().toSeconds()));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                Instant oldest = instant(row.getObject(5, OffsetDateTime.class));
                // PostgreSQL drops the oldest partition once its end is past the retention; H2 deletes by row.
                Instant expiresFrom = instant(row.getObject(6, OffsetDateTime.class));
                Instant next = retention.payloads().isEmpty() || expiresFrom == null ? null
                        : expiresFrom.plus(retention.payloads().get());
                long payloadRows = row.getLong(1);
                return new Storage(payloadRows, row.getLong(2), row.getLong(3), row.getLong(4), oldest,
                        payloadRows == 0 ? null : later(next, Instant.now()));
            }
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** A removal already due happens at the next pass: not in the past. */
    private static Instant later(Instant next, Instant now) {
        return next == null || !next.isBefore(now) ? next : now;
    }
}
