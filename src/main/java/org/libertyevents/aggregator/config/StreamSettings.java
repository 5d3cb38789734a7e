package org.libertyevents.aggregator.config;

import java.time.Duration;

/**
 * Live streams of the feed ({@code GET /events/stream}).
 *
 * @param max       streams open at once on this instance, at most; more get 503 ({@code EVENTS_STREAMS_MAX})
 * @param heartbeat how long a stream may go without sending anything before it sends a comment
 *                  ({@code EVENTS_STREAM_HEARTBEAT}), so that proxies keep it open and a gone client is noticed
 */
public record StreamSettings(int max, Duration heartbeat) {

    public StreamSettings {
        if (max < 1 || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("stream settings must be positive: " + this);
        }
    }
}
