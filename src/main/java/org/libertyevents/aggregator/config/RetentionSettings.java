package org.libertyevents.aggregator.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How long stored events are kept.
 *
 * @param payloads how long a payload is kept after it was received ({@code EVENTS_RETENTION}); empty keeps it for
 *                 ever
 * @param keys     how long a key is remembered after it was first stored, so that a resend is a duplicate
 *                 ({@code DEDUP_RETENTION}); empty remembers it for ever. Never shorter than {@code payloads}: a key
 *                 forgotten while its payload is kept would let a resend store the event a second time.
 * @param interval how often expired payloads and keys are looked for ({@code RETENTION_INTERVAL})
 */
public record RetentionSettings(Optional<Duration> payloads, Optional<Duration> keys, Duration interval) {

    /** The widest payload partition: expired payloads go at most this long after their time. */
    private static final Duration MAX_PARTITION = Duration.ofDays(1);

    public RetentionSettings {
        if (payloads.isPresent() && !positive(payloads.get()) || keys.isPresent() && !positive(keys.get())
                || !positive(interval)) {
            throw new IllegalArgumentException("retention durations must be positive: " + this);
        }
        if (keys.isPresent() && (payloads.isEmpty() || keys.get().compareTo(payloads.get()) < 0)) {
            throw new IllegalArgumentException("DEDUP_RETENTION must be at least EVENTS_RETENTION (keys are "
                    + "remembered at least as long as payloads): " + this);
        }
    }

    /**
     * The time range of one payload partition on PostgreSQL: a tenth of the retention, between a second and a day,
     * so that about ten partitions hold the payloads kept and one is dropped at a time.
     */
    public Duration partitionWidth() {
        Duration tenth = payloads.map(retention -> retention.dividedBy(10)).orElse(MAX_PARTITION);
        if (tenth.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return tenth.compareTo(MAX_PARTITION) > 0 ? MAX_PARTITION : tenth;
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
