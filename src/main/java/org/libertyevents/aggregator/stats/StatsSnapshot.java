package org.libertyevents.aggregator.stats;

import java.time.Instant;
import java.util.List;

/**
 * The aggregator's counters at one moment. {@code received == uniqueProcessed + duplicateDropped + pending}
 * always holds: the first two come from the database, committed with the events, and pending is what was
 * accepted and is not committed yet.
 */
public record StatsSnapshot(long received, long uniqueProcessed, long duplicateDropped, long pending,
                            List<TopicStats> topics, int topicCount, Instant startedAt, long uptimeSeconds) {

    /** Counters of one topic. */
    public record TopicStats(String name, long unique, long duplicates) {
    }
}
