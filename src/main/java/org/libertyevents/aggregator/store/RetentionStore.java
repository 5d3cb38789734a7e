package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.libertyevents.aggregator.config.RetentionSettings;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Removes what retention says has expired, each step in a short local transaction of its own so that writers never
 * wait long: on PostgreSQL it keeps payload partitions created ahead and drops those whose whole range expired; then,
 * on both databases, it deletes expired payloads no partition drop can remove (every payload on H2), in batches; and
 * it forgets keys older than {@code DEDUP_RETENTION} whose payload is gone. Expired payloads are counted per topic in
 * the same transaction that removes them, so that the counters always add up.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RetentionStore {

    private static final Logger LOG = Logger.getLogger(RetentionStore.class.getName());
    static final int BATCH = 10_000;
    /** Bounds one pass: at most this many batches of each kind, the rest at the next pass. */
    private static final int MAX_BATCHES = 100;
    /** Keeps two instances from changing partitions at once; an arbitrary key, the same in every instance. */
    private static final long PARTITION_LOCK = 0x4C45_4132L;
    /** PostgreSQL's answer to a partition over rows the default partition holds. */
    private static final String CHECK_VIOLATION = "23514";

    private static final String FORGET_KEYS_POSTGRES = """
            DELETE FROM event_keys WHERE ctid IN (SELECT ctid FROM event_keys WHERE first_seen < ? LIMIT ?)""";
    private static final String FORGET_KEYS_H2 = "DELETE FROM event_keys WHERE first_seen < ? FETCH FIRST ? ROWS ONLY";
    private static final String FORGET_ERASURES = """
            DELETE FROM erasures r WHERE r.erased_at < ?
            AND NOT EXISTS (SELECT 1 FROM event_keys k WHERE k.key_hash = r.key_hash)""";
    /**
     * No payload is older than the oldest of: the default partition's rows, the start of the oldest range partition,
     * and any partition without a start (the table of before V10, which bounds nothing). H2 reads its one table.
     */
    private static final String OLDEST_PAYLOAD_POSTGRES = """
            SELECT (SELECT MIN(received_at) FROM events_default), MIN(received_from), COUNT(*) - COUNT(received_from)
            FROM event_partitions""";
    private static final String OLDEST_PAYLOAD_H2 = "SELECT MIN(received_at), NULL, 0 FROM events";

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    @EJB
    private SchemaState schema;

    /** Whether this process has made sure the index {@link #indexKeyAge} builds exists. */
    private static volatile boolean keyAgeIndexed;

    /** One pass at {@code now}. */
    public RetentionPass run(RetentionSettings settings, Instant now) {
        Dialect dialect = schema.dialect().orElseThrow(() -> new StoreException(StoreException.Kind.UNAVAILABLE,
                "the database schema is not ready: " + schema.lastError(), null));
        int created = 0;
        int dropped = 0;
        long expired = 0;
        if (dialect == Dialect.POSTGRESQL) {
            Duration width = settings.partitionWidth();
            Duration ahead = width.multipliedBy(2).compareTo(settings.interval().plus(width)) > 0
                    ? width.multipliedBy(2) : settings.interval().plus(width);
            List<PayloadPartition> partitions = LocalTransaction.run(dataSource, PostgresPartitions::list);
            created = createAhead(partitions, now, width, ahead);
            for (PayloadPartition partition : PartitionPlan.toDrop(partitions, now, settings.payloads())) {
                Long count = locked(connection -> {
                    if (!PostgresPartitions.recorded(connection, partition.name())) {
                        return null;  // another instance dropped it since this pass listed the partitions
                    }
                    Map<String, Long> counts = PostgresPartitions.drop(connection, partition);
                    ExpiredPayloads.count(connection, "expired_count", counts);
                    return counts.values().stream().mapToLong(Long::longValue).sum();
                });
                if (count != null) {
                    dropped++;
                    expired += count;
                    LOG.fine(() -> "Retention dropped payload partition " + partition.name() + " (received before "
                            + partition.to() + "): " + count + " payloads");
                }
            }
        }
        if (settings.payloads().isPresent()) {
            Instant cutoff = now.minus(settings.payloads().get());
            for (int batch = 0; batch < MAX_BATCHES; batch++) {
                long removed = LocalTransaction.run(dataSource, connection -> {
                    Map<String, Long> counts = ExpiredPayloads.delete(dialect, connection, cutoff, BATCH);
                    ExpiredPayloads.count(connection, "expired_count", counts);
                    return counts.values().stream().mapToLong(Long::longValue).sum();
                });
                expired += removed;
                if (removed < BATCH) {
                    break;
                }
            }
        }
        long forgotten = settings.keys().isEmpty() ? 0 : keyCutoff(dialect, now.minus(settings.keys().get()))
                .map(cutoff -> forgetKeys(dialect, cutoff)).orElse(0L);
        return new RetentionPass(created, dropped, expired, forgotten);
    }

    /**
     * Creates the partitions the plan asks for. If the first is refused because the default partition holds rows in
     * its range, the partitions start after now instead; a later refusal waits for the next pass, which plans afresh.
     */
    private int createAhead(List<PayloadPartition> partitions, Instant now, Duration width, Duration ahead) {
        int created = 0;
        for (PayloadPartition partition : PartitionPlan.toCreate(partitions, now, width, ahead, Instant.MIN)) {
            Boolean done = createOne(partition);
            if (Boolean.FALSE.equals(done) && created == 0) {
                LOG.info(() -> "The default payload partition holds rows received after " + partition.from()
                        + "; new partitions start after now");
                Instant after = PartitionPlan.boundaryAfter(now, width);
                for (PayloadPartition later : PartitionPlan.toCreate(partitions, now, width, ahead, after)) {
                    if (!Boolean.TRUE.equals(createOne(later))) {
                        break;
                    }
                    created++;
                }
                return created;
            }
            if (!Boolean.TRUE.equals(done)) {
                return created;
            }
            created++;
        }
        return created;
    }

    /** True when created; false when refused over rows of the default partition; null when not possible now. */
    private Boolean createOne(PayloadPartition partition) {
        try {
            return locked(connection -> {
                // Another instance may have created it since this pass listed the partitions.
                if (!PostgresPartitions.recorded(connection, partition.name())) {
                    PostgresPartitions.create(connection, partition);
                }
                return true;
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && CHECK_VIOLATION.equals(sql.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Keys first seen before {@code cutoff} may go, but never one whose payload is still there: a resend of it would
     * then store the event a second time. A key is first seen when its payload is received, so keys older than the
     * oldest payload have none. (DEDUP_RETENTION is at least EVENTS_RETENTION, so this holds keys back only while
     * expired payloads wait to be removed.)
     */
    private Optional<Instant> keyCutoff(Dialect dialect, Instant cutoff) {
        return LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    dialect == Dialect.POSTGRESQL ? OLDEST_PAYLOAD_POSTGRES : OLDEST_PAYLOAD_H2);
                 ResultSet row = select.executeQuery()) {
                row.next();
                if (row.getLong(3) > 0) {
                    return Optional.empty();
                }
                Instant bound = cutoff;
                for (int column = 1; column <= 2; column++) {
                    OffsetDateTime oldest = row.getObject(column, OffsetDateTime.class);
                    if (oldest != null && oldest.toInstant().isBefore(bound)) {
                        bound = oldest.toInstant();
                    }
                }
                return Optional.of(bound);
            }
        });
    }

    private long forgetKeys(Dialect dialect, Instant cutoff) {
        if (dialect == Dialect.POSTGRESQL && !keyAgeIndexed) {
            indexKeyAge();
        }
        long forgotten = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int removed = LocalTransaction.run(dataSource, connection -> {
                try (PreparedStatement delete = connection.prepareStatement(
                        dialect == Dialect.POSTGRESQL ? FORGET_KEYS_POSTGRES : FORGET_KEYS_H2)) {
                    delete.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                    delete.setInt(2, BATCH);
                    return delete.executeUpdate();
                }
            });
            forgotten += removed;
            if (removed < BATCH) {
                break;
            }
        }
        if (forgotten > 0) {
            // A tombstone goes with its key: a resend of it is new again.
            LocalTransaction.run(dataSource, connection -> {
                try (PreparedStatement delete = connection.prepareStatement(FORGET_ERASURES)) {
                    delete.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
                    return delete.executeUpdate();
                }
            });
        }
        return forgotten;
    }

    /**
     * Builds the index that finds the oldest keys, once per process, without blocking writers (hence outside a
     * transaction). Only forgetting keys needs it, and it costs every insert: it exists only where DEDUP_RETENTION is
     * set.
     */
    private void indexKeyAge() {
        try (Connection connection = dataSource.getConnection(); Statement ddl = connection.createStatement()) {
            connection.setAutoCommit(true);
            ddl.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS event_keys_first_seen_idx ON event_keys "
                    + "USING brin (first_seen)");
            keyAgeIndexed = true;
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    /**
     * Runs partition work under the partition lock, or not at all (null) when another instance holds it or a lock on
     * the table was not granted in time: the next pass does it then.
     */
    private <T> T locked(LocalTransaction.Work<T> work) {
        try {
            return LocalTransaction.run(dataSource, connection -> {
                try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                    lock.setLong(1, PARTITION_LOCK);
                    try (ResultSet granted = lock.executeQuery()) {
                        granted.next();
                        if (!granted.getBoolean(1)) {
                            return null;
                        }
                    }
                }
                return work.on(connection);
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && "55P03".equals(sql.getSQLState())) {
                LOG.fine(() -> "Retention waited too long for a lock on the events table; next pass: " + sql);
                return null;
            }
            throw e;
        }
    }
}
