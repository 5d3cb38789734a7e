package org.libertyevents.aggregator.stats;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /stats/history} answers: this instance's event counts per second over the last
 * {@code windowSeconds}, oldest first. Seconds this instance did not sample (before it started) have no point.
 * {@code duplicateDropped} counts every dropped repeat and {@code conflictDropped} the part of them whose payload
 * differed, as in {@link StatsSnapshot}'s documented counters; {@code rejected} counts events refused because the
 * ingest queue was full.
 */
public record ThroughputHistory(int windowSeconds, List<Point> points) {

    /** The events of one second, counted by this instance. */
    public record Point(Instant second, long received, long uniqueProcessed, long duplicateDropped,
                        long conflictDropped, long rejected) {
    }
}
