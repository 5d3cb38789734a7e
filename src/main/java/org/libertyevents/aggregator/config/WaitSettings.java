package org.libertyevents.aggregator.config;

import java.time.Duration;

/**
 * Long polls of the feed ({@code GET /events?wait=}).
 *
 * @param max     the longest wait a request may ask for ({@code EVENTS_WAIT_MAX})
 * @param waiters requests waiting at once on this instance, at most; more get 503 ({@code EVENTS_WAITERS_MAX})
 * @param poll    how often an instance with waiting requests looks for events other instances committed
 *                ({@code EVENTS_WAIT_POLL}); its own commits wake them at once
 */
public record WaitSettings(Duration max, int waiters, Duration poll) {

    public WaitSettings {
        if (max.isNegative() || max.isZero() || waiters < 1 || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("long poll settings must be positive: " + this);
        }
    }
}
