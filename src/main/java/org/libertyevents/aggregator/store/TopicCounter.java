package org.libertyevents.aggregator.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * How many events of one topic were stored, dropped as identical repeats and dropped as conflicting repeats, since
 * the first start; and of those stored, how many payloads have expired or been erased since. The two kinds of
 * repeat are kept apart, as they always were, and {@code /stats} reports their sum as the topic's duplicates
 * ({@link #getDroppedCount()}): so the totals of a database written by an older version add up unchanged.
 */
@Entity
@Table(name = "topic_stats")
@NamedQuery(name = "TopicCounter.page",
        query = "SELECT c FROM TopicCounter c WHERE c.topic > :after ORDER BY c.topic")
@NamedQuery(name = "TopicCounter.findByTopic", query = "SELECT c FROM TopicCounter c WHERE c.topic = :topic")
@NamedQuery(name = "TopicCounter.totals", query = "SELECT COALESCE(SUM(c.uniqueCount), 0), "
        + "COALESCE(SUM(c.duplicateCount), 0), COALESCE(SUM(c.conflictCount), 0), COUNT(c), "
        + "COALESCE(SUM(c.expiredCount), 0), COALESCE(SUM(c.erasedCount), 0) FROM TopicCounter c")
public class TopicCounter {

    @Id
    @Column(name = "topic")
    private String topic;

    @Column(name = "unique_count", nullable = false)
    private long uniqueCount;

    @Column(name = "duplicate_count", nullable = false)
    private long duplicateCount;

    @Column(name = "conflict_count", nullable = false)
    private long conflictCount;

    @Column(name = "expired_count", nullable = false)
    private long expiredCount;

    @Column(name = "erased_count", nullable = false)
    private long erasedCount;

    public String getTopic() {
        return topic;
    }

    public long getUniqueCount() {
        return uniqueCount;
    }

    public long getDuplicateCount() {
        return duplicateCount;
    }

    /** Every repeat dropped, identical or conflicting. */
    public long getDroppedCount() {
        return duplicateCount + conflictCount;
    }

    public long getConflictCount() {
        return conflictCount;
    }

    public long getExpiredCount() {
        return expiredCount;
    }

    public long getErasedCount() {
        return erasedCount;
    }
}
