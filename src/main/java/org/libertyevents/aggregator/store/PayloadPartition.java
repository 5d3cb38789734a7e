package org.libertyevents.aggregator.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One range partition of the payload table on PostgreSQL: the events received in {@code [from, to)}; {@code from} is
 * null for the first one, which holds everything received before it (the table of before partitioning).
 */
record PayloadPartition(String name, Instant from, Instant to) {

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'events_'yyyyMMdd'_'HHmmss")
            .withZone(ZoneOffset.UTC);

    /** The partition starting at {@code from}, named after it. */
    static PayloadPartition starting(Instant from, Instant to) {
        return new PayloadPartition(NAME.format(from), from, to);
    }
}
