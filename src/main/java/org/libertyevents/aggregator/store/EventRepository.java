package org.libertyevents.aggregator.store;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;

import java.util.List;
import java.util.Optional;

/** Reads stored events, counters and conflicting copies through JPA. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class EventRepository {

    @PersistenceContext(unitName = "aggregator")
    private EntityManager em;

    /**
     * Events past {@code afterSeq} in arrival order (newest first when {@code newestFirst}), optionally of one topic
     * and/or source. Keyset pagination: the caller passes the last {@code seq} it saw; newest first starts from
     * {@link Long#MAX_VALUE}.
     */
    public List<StoredEvent> page(String topic, String source, long afterSeq, int limit, boolean newestFirst) {
        StringBuilder jpql = new StringBuilder("SELECT e FROM StoredEvent e WHERE e.seq ")
                .append(newestFirst ? "< :after" : "> :after");
        if (topic != null) {
            jpql.append(" AND e.topic = :topic");
        }
        if (source != null) {
            jpql.append(" AND e.source = :source");
        }
        TypedQuery<StoredEvent> query = em.createQuery(jpql.append(newestFirst ? " ORDER BY e.seq DESC" : " ORDER BY e.seq").toString(), StoredEvent.class)
                .setParameter("after", afterSeq)
                .setMaxResults(limit);
        if (topic != null) {
            query.setParameter("topic", topic);
        }
        if (source != null) {
            query.setParameter("source", source);
        }
        return query.getResultList();
    }

    public Optional<StoredEvent> find(String topic, String eventId) {
        return em.createNamedQuery("StoredEvent.findByKey", StoredEvent.class)
                .setParameter("topic", topic)
                .setParameter("eventId", eventId)
                .getResultStream()
                .findFirst();
    }

    /** The latest conflicting copies, newest first, optionally of one topic. */
    public List<ConflictRecord> conflicts(String topic, int limit) {
        String jpql = "SELECT c FROM ConflictRecord c" + (topic == null ? "" : " WHERE c.topic = :topic")
                + " ORDER BY c.id DESC";
        TypedQuery<ConflictRecord> query = em.createQuery(jpql, ConflictRecord.class).setMaxResults(limit);
        if (topic != null) {
            query.setParameter("topic", topic);
        }
        return query.getResultList();
    }

    public List<TopicCounter> topicCounters() {
        return em.createNamedQuery("TopicCounter.findAll", TopicCounter.class).getResultList();
    }
}
