package org.libertyevents.aggregator.stats;

import org.libertyevents.aggregator.store.Storage;

import java.time.Instant;
import java.util.List;

/**
 * The aggregator's counters at one moment. {@code received == uniqueProcessed + duplicateDropped + pending +
 * deadLettered} always holds: {@code duplicateDropped} counts every repeat of a stored key, and
 * {@code conflictDropped} the part of them whose payload differed. Those three come from the database, committed
 * with the events; pending is what was accepted and is not committed yet (in this instance's queue or in the broker);
 * dead-lettered events are those the broker gave up on, normally none. The totals cover every topic; {@code topics}
 * is one page of them, in name order, and {@code topicsNext} the {@code topics_after} of the next page, or null.
 * Of the {@code uniqueProcessed} events, {@code expired} and {@code erased} have lost their payload since (the
 * retention removed it, or an erasure); their keys are still remembered. {@code storage} says what the stored
 * payloads and keys took when the last retention pass looked.
 */
public record StatsSnapshot(long received, long uniqueProcessed, long duplicateDropped, long conflictDropped,
                            long pending, long deadLettered, long expired, long erased, Storage storage,
                            Broker broker, List<TopicStats> topics, int topicCount,
                            String topicsNext, Access access, Instant startedAt, long uptimeSeconds) {

    /** Counters of one topic: {@code duplicates} are all its dropped repeats, {@code conflicts} among them. */
    public record TopicStats(String name, long unique, long duplicates, long conflicts, long expired, long erased) {
    }

    /**
     * The broker's part of {@code pending}.
     *
     * @param enabled   whether asynchronous publish goes through a broker
     * @param available whether Redis answered for this snapshot (if not, its figures are the last known)
     * @param backlog   events appended to the broker and not yet acknowledged
     */
    public record Broker(boolean enabled, boolean available, long backlog) {
    }

    /**
     * What publishing and reading need: {@code open} (anyone who reaches the service) or {@code api_key}.
     */
    public record Access(String publishing, String reads) {
    }
}
