package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.libertyevents.aggregator.config.RetentionSettings;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    static final int MAX_BATCHES = 100;
    /** Keeps two instances from changing partitions at once; an arbitrary key, the same in every instance. */
    private static final long PARTITION_LOCK = 0x4C45_4132L;
    /** PostgreSQL's answer to a partition over rows the default partition holds. */
    private static final String CHECK_VIOLATION = "23514";

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    @EJB
    private SchemaState schema;

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
        long forgotten = settings.keys().isEmpty() ? 0
                : ForgottenKeys.forget(dataSource, dialect, now.minus(settings.keys().get()));
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
