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
import java.sql.SQLException;
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
        Dialect dialect = schema.dialect().orElseThrow(() -> new StoreException(StoreException.Kind.UNAVAILABLE,
                "the database schema is not ready: " + schema.lastError(), null));
        GroupPlan plan = GroupPlan.of(events);
        try (Connection connection = dataSource.getConnection()) {
            Set<EventKey> inserted = dialect.writer().insertNew(connection, plan.candidates());
            List<Verdict> verdicts = plan.verdicts(inserted);
            dialect.writer().addToCounters(connection, GroupPlan.deltas(events, verdicts));
            return verdicts;
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }
}
