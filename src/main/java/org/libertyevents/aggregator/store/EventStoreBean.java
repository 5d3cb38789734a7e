package org.libertyevents.aggregator.store;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Local;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;
import org.libertyevents.aggregator.event.Verdict;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes a group of events and their counters in one container-managed JTA transaction. The rows go in with
 * set-based native SQL ({@link DialectWriter}) on the transaction's connection, because JPA's one-entity
 * persist would cost a statement, or an exception, per duplicate; the same tables are mapped as JPA entities
 * ({@link StoredEvent}, {@link TopicCounter}) for reading.
 */
@Stateless
@Local(EventStore.class)
public class EventStoreBean implements EventStore {

    @Resource(lookup = "jdbc/aggregator")
    private DataSource dataSource;

    @EJB
    private SchemaState schema;

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public List<Verdict> store(List<Event> events) {
        Dialect dialect = readyDialect();
        try (Connection connection = dataSource.getConnection()) {
            return write(dialect, connection, events);
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public DeliveryResult storeDeliveries(String stream, List<Delivery> deliveries) {
        Dialect dialect = readyDialect();
        try (Connection connection = dataSource.getConnection()) {
            // Receipts first: a concurrent delivery of the same entry waits here on the receipt's key, then skips it.
            Set<String> fresh = dialect.writer().insertReceipts(connection, stream,
                    deliveries.stream().map(Delivery::entryId).toList());
            List<Event> events = new ArrayList<>();
            deliveries.stream().filter(delivery -> fresh.contains(delivery.entryId()))
                    .forEach(delivery -> events.addAll(delivery.events()));
            List<Verdict> verdicts = events.isEmpty() ? List.of() : write(dialect, connection, events);
            return new DeliveryResult(events, verdicts, deliveries.size() - fresh.size());
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void pruneReceipts(String stream, long beforeMillis) {
        readyDialect();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM broker_receipts WHERE stream = ? AND entry_ms < ?")) {
            delete.setString(1, stream);
            delete.setLong(2, beforeMillis);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    private Dialect readyDialect() {
        return schema.dialect().orElseThrow(() -> new StoreException(StoreException.Kind.UNAVAILABLE,
                "the database schema is not ready: " + schema.lastError(), null));
    }

    private static List<Verdict> write(Dialect dialect, Connection connection, List<Event> events)
            throws SQLException {
        GroupPlan plan = GroupPlan.of(events);
        Set<EventKey> inserted = dialect.writer().insertNew(connection, plan.candidates());
        List<Verdict> verdicts = plan.verdicts(inserted);
        dialect.writer().addToCounters(connection, GroupPlan.deltas(events, verdicts));
        return verdicts;
    }
}
