package org.libertyevents.aggregator.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which payload partitions to create and which to drop, from the ones there are: partitions of {@code width}, on
 * boundaries that are multiples of it, cover the time from the last one to {@code ahead} past now, so that a row is
 * never received into a range without a partition (the default partition catches it if so); a partition whose whole
 * range is older than the retention goes.
 *
 * <p>The new partitions go on from the last one, or from {@code earliest} if later: after the database refused a
 * partition over rows the default partition holds already (received while no partition covered their time), the
 * caller asks again from the next boundary after now, leaving those rows to the default partition.
 */
final class PartitionPlan {

    /** Bounds one maintenance pass, whatever the settings. */
    static final int MAX_CREATED = 100;

    private PartitionPlan() {
    }

    static List<PayloadPartition> toCreate(List<PayloadPartition> existing, Instant now, Duration width,
                                           Duration ahead, Instant earliest) {
        Instant last = existing.stream().map(PayloadPartition::to).max(Comparator.naturalOrder())
                .orElse(boundaryAfter(now, width));
        Instant start = last.isBefore(earliest) ? earliest : last;
        Instant until = now.plus(ahead);
        List<PayloadPartition> created = new ArrayList<>();
        while (start.isBefore(until) && created.size() < MAX_CREATED) {
            Instant end = boundaryAfter(start, width);
            created.add(PayloadPartition.starting(start, end));
            start = end;
        }
        return created;
    }

    /** The partitions all of whose events were received more than {@code retention} ago, oldest first. */
    static List<PayloadPartition> toDrop(List<PayloadPartition> existing, Instant now, Optional<Duration> retention) {
        if (retention.isEmpty()) {
            return List.of();
        }
        Instant cutoff = now.minus(retention.get());
        return existing.stream().filter(partition -> !partition.to().isAfter(cutoff))
                .sorted(Comparator.comparing(PayloadPartition::to)).toList();
    }

    /** The first multiple of {@code width} (from the epoch) after {@code instant}. */
    static Instant boundaryAfter(Instant instant, Duration width) {
        long step = width.toMillis();
        long millis = instant.toEpochMilli();
        return Instant.ofEpochMilli(Math.floorDiv(millis, step) * step + step);
    }
}
