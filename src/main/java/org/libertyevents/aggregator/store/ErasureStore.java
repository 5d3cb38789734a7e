package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.libertyevents.aggregator.event.EventKey;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Erases events: the payload (and any conflicting copy of it) goes, the key stays in {@code event_keys} with a
 * tombstone in {@code erasures}, so that a resend is still a duplicate and a read answers 410. One event at once;
 * many in the background, as a job worked through in batches by any instance (each batch counts only the payloads
 * its own deletes removed, so instances working on one job at once count nothing twice).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ErasureStore {

    static final int BATCH = 1_000;

    private static final String JOB_COLUMNS = "id, topic, source, reason, requested_at, erased, finished_at";

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    /**
     * Erases one event.
     *
     * @return when it was erased (now, or by an earlier erasure), or empty if the key was never stored (or forgotten)
     */
    public Optional<Instant> erase(String topic, String eventId, String reason, Instant now) {
        return LocalTransaction.run(dataSource, connection -> {
            // The key's row, locked: an erasure and a concurrent store of the same key do not interleave.
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT 1 FROM event_keys WHERE key_hash = ? FOR UPDATE")) {
                select.setObject(1, KeyHash.of(topic, eventId));
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                }
            }
            eraseKeys(connection, List.of(new EventKey(topic, eventId)), reason, now);
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT erased_at FROM erasures WHERE key_hash = ?")) {
                select.setObject(1, KeyHash.of(topic, eventId));
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return Optional.of(row.getObject(1, OffsetDateTime.class).toInstant());
                }
            }
        });
    }

    /** Records a bulk erasure of the events matching {@code topic} and/or {@code source} received until now. */
    public ErasureJob request(String topic, String source, String reason, Instant now) {
        long id = LocalTransaction.run(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO erasure_jobs (topic, source, "
                    + "reason, requested_at) VALUES (?, ?, ?, ?)", new String[] {"id"})) {
                insert.setString(1, topic);
                insert.setString(2, source);
                insert.setString(3, reason);
                insert.setObject(4, now.atOffset(ZoneOffset.UTC));
                insert.executeUpdate();
                try (ResultSet key = insert.getGeneratedKeys()) {
                    key.next();
                    return key.getLong(1);
                }
            }
        });
        return new ErasureJob(id, topic, source, reason, now, 0, null);
    }

    public Optional<ErasureJob> job(long id) {
        return LocalTransaction.run(dataSource, connection -> {
            List<ErasureJob> jobs = jobs(connection, "SELECT " + JOB_COLUMNS + " FROM erasure_jobs WHERE id = "
                    + id);
            return jobs.stream().findFirst();
        });
    }

    /** The bulk erasures not finished yet, oldest first. */
    public List<ErasureJob> unfinished() {
        return LocalTransaction.run(dataSource, connection -> jobs(connection, "SELECT " + JOB_COLUMNS
                + " FROM erasure_jobs WHERE finished_at IS NULL ORDER BY id"));
    }

    /**
     * Works one batch of a bulk erasure: erases up to {@value #BATCH} of its events, or, when none is left, marks it
     * finished. Returns whether it is finished.
     */
    public boolean work(ErasureJob job, Instant now) {
        return LocalTransaction.run(dataSource, connection -> {
            List<EventKey> keys = matching(connection, job);
            if (keys.isEmpty()) {
                try (PreparedStatement finish = connection.prepareStatement(
                        "UPDATE erasure_jobs SET finished_at = ? WHERE id = ? AND finished_at IS NULL")) {
                    finish.setObject(1, now.atOffset(ZoneOffset.UTC));
                    finish.setLong(2, job.id());
                    finish.executeUpdate();
                }
                return true;
            }
            long erased = eraseKeys(connection, keys, job.reason(), now).values().stream()
                    .mapToLong(Long::longValue).sum();
            try (PreparedStatement progress = connection.prepareStatement(
                    "UPDATE erasure_jobs SET erased = erased + ? WHERE id = ?")) {
                progress.setLong(1, erased);
                progress.setLong(2, job.id());
                progress.executeUpdate();
            }
            return false;
        });
    }

    /** The keys of up to a batch of payloads the job erases, in key order. */
    private static List<EventKey> matching(Connection connection, ErasureJob job) throws SQLException {
        String sql = "SELECT topic, event_id FROM events WHERE received_at <= ?"
                + (job.topic() == null ? "" : " AND topic = ?") + (job.source() == null ? "" : " AND source = ?")
                + " ORDER BY topic, event_id FETCH FIRST " + BATCH + " ROWS ONLY";
        List<EventKey> keys = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            int parameter = 1;
            select.setObject(parameter++, job.requestedAt().atOffset(ZoneOffset.UTC));
            if (job.topic() != null) {
                select.setString(parameter++, job.topic());
            }
            if (job.source() != null) {
                select.setString(parameter, job.source());
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    keys.add(new EventKey(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return keys;
    }

    /**
     * Deletes the keys' payloads and conflicting copies, leaves a tombstone for each (an earlier one stays) and counts
     * the payloads deleted per topic; in key order, so that two transactions over the same keys lock them alike.
     */
    private static Map<String, Long> eraseKeys(Connection connection, List<EventKey> keys, String reason,
                                               Instant now) throws SQLException {
        List<EventKey> ordered = keys.stream()
                .sorted(Comparator.comparing(EventKey::topic).thenComparing(EventKey::eventId)).toList();
        Map<String, Long> erased = new TreeMap<>();
        try (PreparedStatement payloads = connection.prepareStatement(
                "DELETE FROM events WHERE topic = ? AND event_id = ?");
             PreparedStatement copies = connection.prepareStatement(
                     "DELETE FROM conflicts WHERE topic = ? AND event_id = ?");
             PreparedStatement tombstones = connection.prepareStatement("INSERT INTO erasures (key_hash, topic, "
                     + "event_id, erased_at, reason) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (EventKey key : ordered) {
                payloads.setString(1, key.topic());
                payloads.setString(2, key.eventId());
                payloads.addBatch();
                copies.setString(1, key.topic());
                copies.setString(2, key.eventId());
                copies.addBatch();
                tombstones.setObject(1, KeyHash.of(key));
                tombstones.setString(2, key.topic());
                tombstones.setString(3, key.eventId());
                tombstones.setObject(4, now.atOffset(ZoneOffset.UTC));
                tombstones.setString(5, reason);
                tombstones.addBatch();
            }
            int[] deleted = payloads.executeBatch();
            copies.executeBatch();
            tombstones.executeBatch();
            for (int i = 0; i < deleted.length; i++) {
                if (deleted[i] > 0) {
                    erased.merge(ordered.get(i).topic(), 1L, Long::sum);
                }
            }
        }
        ExpiredPayloads.count(connection, "erased_count", erased);
        return erased;
    }

    private static List<ErasureJob> jobs(Connection connection, String query) throws SQLException {
        List<ErasureJob> jobs = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(query); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                OffsetDateTime finished = rows.getObject(7, OffsetDateTime.class);
                jobs.add(new ErasureJob(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getObject(5, OffsetDateTime.class).toInstant(), rows.getLong(6),
                        finished == null ? null : finished.toInstant()));
            }
        }
        return jobs;
    }
}
