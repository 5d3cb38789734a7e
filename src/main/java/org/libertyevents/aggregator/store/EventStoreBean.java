package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;
import org.libertyevents.aggregator.event.Verdict;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Writes a group of events, their counters and their requests' Idempotency-Key answers in one transaction. The rows
 * go in with set-based native SQL ({@link DialectWriter}) on the transaction's connection, because JPA's one-entity
 * persist would cost a statement, or an exception, per duplicate; the same tables are mapped as JPA entities
 * ({@link StoredEvent}, {@link TopicCounter}) for reading. The transactions are local ones that this bean commits
 * ({@link LocalTransaction}), not the container's: only so does it learn whether a commit was confirmed.
 */
@Stateless
@Local(EventStore.class)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EventStoreBean implements EventStore {

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    private static final Logger LOG = Logger.getLogger(EventStoreBean.class.getName());

    @EJB
    private SchemaState schema;

    @Inject
    @ConfigProperty(name = "conflicts.kept", defaultValue = "1000")
    private long conflictsKept;

    @Override
    public List<Verdict> store(List<Event> events, List<KeyedAnswer> answers) {
        Dialect dialect = readyDialect();
        return LocalTransaction.run(dataSource, connection -> {
            List<Verdict> verdicts = write(dialect, connection, events);
            // Last, so that a key's row stays locked only from here to the commit.
            KeyedAnswers.write(connection, answers, verdicts);
            return verdicts;
        });
    }

    @Override
    public DeliveryResult storeDeliveries(String stream, List<Delivery> deliveries) {
        Dialect dialect = readyDialect();
        return LocalTransaction.run(dataSource, connection -> {
            // Receipts first: a concurrent delivery of the same entry waits here on the receipt's key, then skips it.
            List<String> ids = deliveries.stream().map(Delivery::entryId).toList();
            Set<String> fresh = dialect.receipts().record(connection, stream, ids, ReceiptWriter.Outcome.STORED);
            List<Event> events = new ArrayList<>();
            deliveries.stream().filter(delivery -> fresh.contains(delivery.entryId()))
                    .forEach(delivery -> events.addAll(delivery.events()));
            List<Verdict> verdicts = events.isEmpty() ? List.of() : write(dialect, connection, events);
            Set<String> dead = fresh.size() == ids.size() ? Set.of()
                    : dialect.receipts().deadLettered(connection, stream, unrecorded(ids, fresh));
            return new DeliveryResult(events, verdicts, ids.size() - fresh.size(), dead);
        });
    }

    @Override
    public Set<String> settleAsDeadLetters(String stream, List<String> entryIds) {
        Dialect dialect = readyDialect();
        return LocalTransaction.run(dataSource, connection -> {
            Set<String> dead = new HashSet<>(dialect.receipts().record(connection, stream, entryIds,
                    ReceiptWriter.Outcome.DEAD_LETTERED));
            if (dead.size() < entryIds.size()) {
                dead.addAll(dialect.receipts().deadLettered(connection, stream, unrecorded(entryIds, dead)));
            }
            return dead;
        });
    }

    @Override
    public void pruneReceipts(String stream, long beforeMillis) {
        Dialect dialect = readyDialect();
        LocalTransaction.run(dataSource, connection -> {
            dialect.receipts().prune(connection, stream, beforeMillis);
            return null;
        });
    }

    private static List<String> unrecorded(List<String> ids, Set<String> recorded) {
        return ids.stream().filter(id -> !recorded.contains(id)).toList();
    }

    private Dialect readyDialect() {
        return schema.dialect().orElseThrow(() -> new StoreException(StoreException.Kind.UNAVAILABLE,
                "the database schema is not ready: " + schema.lastError(), null));
    }

    private List<Verdict> write(Dialect dialect, Connection connection, List<Event> events) throws SQLException {
        GroupPlan plan = GroupPlan.of(events);
        Set<EventKey> inserted = dialect.writer().insertNew(connection, plan.candidates(), plan.candidateHashes());
        List<EventKey> taken = plan.taken(inserted);
        Map<EventKey, String> storedHashes = taken.isEmpty() ? Map.of()
                : dialect.writer().storedHashes(connection, taken);
        List<Verdict> verdicts = plan.verdicts(inserted, storedHashes);
        List<GroupPlan.ConflictCopy> conflicts = plan.conflicts(verdicts, inserted, storedHashes);
        if (!conflicts.isEmpty()) {
            keepConflicts(dialect, connection, conflicts);
        }
        dialect.writer().addToCounters(connection, GroupPlan.deltas(events, verdicts));
        return verdicts;
    }

    /** Adds the copies to the conflict list and drops what falls off its end. */
    private void keepConflicts(Dialect dialect, Connection connection, List<GroupPlan.ConflictCopy> conflicts)
            throws SQLException {
        String payload = dialect == Dialect.POSTGRESQL ? "CAST(? AS jsonb)" : "?";
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO conflicts (topic, event_id, "
                + "event_time, source, payload, payload_hash, stored_hash, received_at) VALUES (?, ?, ?, ?, " + payload
                + ", ?, ?, ?)");
             PreparedStatement prune = connection.prepareStatement(
                     "DELETE FROM conflicts WHERE id <= (SELECT MAX(id) FROM conflicts) - ?")) {
            for (GroupPlan.ConflictCopy conflict : conflicts) {
                Event event = conflict.event();
                insert.setString(1, event.topic());
                insert.setString(2, event.eventId());
                insert.setObject(3, event.timestamp().atOffset(ZoneOffset.UTC));
                insert.setString(4, event.source());
                insert.setString(5, event.payload());
                insert.setString(6, conflict.payloadHash());
                insert.setString(7, conflict.storedHash());
                insert.setObject(8, event.receivedAt().atOffset(ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
            prune.setLong(1, conflictsKept);
            prune.executeUpdate();
        }
        Event first = conflicts.get(0).event();
        LOG.warning(() -> conflicts.size() + " conflicting duplicate(s) dropped, the same (topic, event_id) as a stored"
                + " event with another payload, e.g. (" + first.topic() + ", " + first.eventId()
                + "); see GET /conflicts");
    }
}
