package org.libertyevents.aggregator.store;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptors;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import org.libertyevents.aggregator.config.ReadSettings;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Reads stored events, counters and conflicting copies through JPA. Every query is {@link #timed}: a read a lock
 * holds up is cancelled at the read timeout and surfaces as a {@link ReadTimeoutException}.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
@Interceptors(ReadTimeouts.class)
public class EventRepository {

    /** The standard hint, in milliseconds; EclipseLink sets it as the JDBC statement's query timeout. */
    private static final String QUERY_TIMEOUT = "jakarta.persistence.query.timeout";

    @PersistenceContext(unitName = "aggregator")
    private EntityManager em;

    @Inject
    private ReadSettings reads;

    /**
     * Events past {@code after} in feed order (newest first when {@code newestFirst}), optionally of one topic and/or
     * source. Keyset pagination: the caller passes the position of the last event it saw.
     *
     * <p>In feed order a page holds only events whose transaction ended before any transaction still running had
     * begun, so no event can commit later in front of them: a reader that goes on from the last position it got
     * never passes over an event (with several writers, consumers or instances, commits do not come in {@code seq}
     * order). Newest first shows everything committed, since it is a view of the latest, not a feed.
     */
    public List<StoredEvent> page(String topic, String source, FeedPosition after, int limit, boolean newestFirst) {
        StringBuilder jpql = new StringBuilder("SELECT e FROM StoredEvent e WHERE ").append(newestFirst
                ? "e.tx <= :tx AND (e.tx < :tx OR e.seq < :seq)"
                : "e.tx >= :tx AND (e.tx > :tx OR e.seq > :seq) AND e.tx < :horizon");
        if (topic != null) {
            jpql.append(" AND e.topic = :topic");
        }
        if (source != null) {
            jpql.append(" AND e.source = :source");
        }
        jpql.append(newestFirst ? " ORDER BY e.tx DESC, e.seq DESC" : " ORDER BY e.tx, e.seq");
        TypedQuery<StoredEvent> query = timed(em.createQuery(jpql.toString(), StoredEvent.class))
                .setParameter("tx", after.tx())
                .setParameter("seq", after.seq())
                .setMaxResults(limit);
        if (!newestFirst) {
            query.setParameter("horizon", horizon());
        }
        if (topic != null) {
            query.setParameter("topic", topic);
        }
        if (source != null) {
            query.setParameter("source", source);
        }
        return query.getResultList();
    }

    /**
     * Events past {@code after} in feed order, as {@link #page} reads them, of any of {@code topics} (every topic when
     * null): what a subscription delivers next.
     */
    public List<StoredEvent> page(List<String> topics, FeedPosition after, int limit) {
        if (topics != null && topics.size() == 1) {
            return page(topics.get(0), null, after, limit, false);
        }
        TypedQuery<StoredEvent> query = timed(em.createQuery("SELECT e FROM StoredEvent e WHERE e.tx >= :tx AND "
                + "(e.tx > :tx OR e.seq > :seq) AND e.tx < :horizon" + (topics == null ? "" : " AND e.topic IN :topics")
                + " ORDER BY e.tx, e.seq", StoredEvent.class))
                .setParameter("tx", after.tx())
                .setParameter("seq", after.seq())
                .setParameter("horizon", horizon())
                .setMaxResults(limit);
        if (topics != null) {
            query.setParameter("topics", topics);
        }
        return query.getResultList();
    }

    /**
     * Where the feed ends now (of one topic and/or source, when given): the position of its last event that a
     * page in feed order can show, or {@link FeedPosition#START} when it has none. Bounded by the {@link #horizon}
     * as a page is, not by what is committed: an event committed later, by a transaction that was running now,
     * comes after this position, where a reader that goes on from it finds it.
     */
    public FeedPosition end(String topic, String source) {
        StringBuilder jpql = new StringBuilder("SELECT e.tx, e.seq FROM StoredEvent e WHERE e.tx < :horizon");
        if (topic != null) {
            jpql.append(" AND e.topic = :topic");
        }
        if (source != null) {
            jpql.append(" AND e.source = :source");
        }
        TypedQuery<Object[]> query = timed(em.createQuery(jpql.append(" ORDER BY e.tx DESC, e.seq DESC").toString(),
                Object[].class)).setParameter("horizon", horizon()).setMaxResults(1);
        if (topic != null) {
            query.setParameter("topic", topic);
        }
        if (source != null) {
            query.setParameter("source", source);
        }
        return query.getResultStream().findFirst()
                .map(row -> new FeedPosition(((Number) row[0]).longValue(), ((Number) row[1]).longValue()))
                .orElse(FeedPosition.START);
    }

    /**
     * The oldest transaction id still running, read before a page: every transaction below it has ended, so its
     * events are all visible to the page's query. Each schema defines the view ({@code Long.MAX_VALUE} on H2). It
     * moves when the feed may have grown, which is what long polls watch.
     */
    public long horizon() {
        return ((Number) timed(em.createNativeQuery("SELECT tx FROM events_horizon")).getSingleResult()).longValue();
    }

    public Optional<StoredEvent> find(String topic, String eventId) {
        return timed(em.createNamedQuery("StoredEvent.findByKey", StoredEvent.class))
                .setParameter("topic", topic)
                .setParameter("eventId", eventId)
                .getResultStream()
                .findFirst();
    }

    /** What became of a remembered key whose payload is gone; empty if its payload is there or it is unknown. */
    public Optional<RemovedEvent> removed(String topic, String eventId) {
        List<?> rows = timed(em.createNativeQuery("""
                SELECT k.first_seen, r.erased_at, r.reason FROM event_keys k
                LEFT JOIN erasures r ON r.key_hash = k.key_hash
                WHERE k.key_hash = ?
                AND NOT EXISTS (SELECT 1 FROM events e WHERE e.topic = ? AND e.event_id = ?)"""))
                .setParameter(1, KeyHash.of(topic, eventId)).setParameter(2, topic).setParameter(3, eventId)
                .getResultList();
        return rows.stream().findFirst().map(row -> {
            Object[] columns = (Object[]) row;
            return new RemovedEvent(instant(columns[0]), columns[1] == null ? null : instant(columns[1]),
                    (String) columns[2]);
        });
    }

    /** A timestamp column as the driver returns it in a native query. */
    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        return (Instant) value;
    }

    /** The latest conflicting copies, newest first, optionally of one topic. */
    public List<ConflictRecord> conflicts(String topic, int limit) {
        String jpql = "SELECT c FROM ConflictRecord c" + (topic == null ? "" : " WHERE c.topic = :topic")
                + " ORDER BY c.id DESC";
        TypedQuery<ConflictRecord> query = timed(em.createQuery(jpql, ConflictRecord.class)).setMaxResults(limit);
        if (topic != null) {
            query.setParameter("topic", topic);
        }
        return query.getResultList();
    }

    /** Up to {@code limit} topics' counters after {@code after} in name order ({@code ""} for the first). */
    public List<TopicCounter> topicCounters(String after, int limit) {
        return timed(em.createNamedQuery("TopicCounter.page", TopicCounter.class)).setParameter("after", after)
                .setMaxResults(limit).getResultList();
    }

    public Optional<TopicCounter> topicCounter(String topic) {
        return timed(em.createNamedQuery("TopicCounter.findByTopic", TopicCounter.class)).setParameter("topic", topic)
                .getResultStream().findFirst();
    }

    /** The counters summed over every topic, in one statement, so that they describe one moment. */
    public CounterTotals counterTotals() {
        Object[] row = (Object[]) timed(em.createNamedQuery("TopicCounter.totals")).getSingleResult();
        return new CounterTotals(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue(), ((Number) row[3]).longValue(), ((Number) row[4]).longValue(),
                ((Number) row[5]).longValue());
    }

    /** Bounds the query by the read timeout. */
    private <Q extends Query> Q timed(Q query) {
        query.setHint(QUERY_TIMEOUT, Math.toIntExact(reads.timeout().toMillis()));
        return query;
    }
}
