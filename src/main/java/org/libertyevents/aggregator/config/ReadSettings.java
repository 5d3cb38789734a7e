package org.libertyevents.aggregator.config;

import java.time.Duration;

/**
 * Bounds on what one read of the stored events may cost.
 *
 * @param pageMaxBytes the estimated size of one {@code GET /events} page's events, at most (a page holds at least
 *                     one event, so a reader always gets on)
 * @param timeout      how long one database read may take before it is cancelled and answered with 503
 */
public record ReadSettings(long pageMaxBytes, Duration timeout) {

    public ReadSettings {
        if (pageMaxBytes < 1 || timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("read bounds must be positive (the timeout in whole seconds): " + this);
        }
    }
}
