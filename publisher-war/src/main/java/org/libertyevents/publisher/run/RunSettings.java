package org.libertyevents.publisher.run;

import java.net.URI;
import java.util.List;

/**
 * A run as requested, with defaults filled in.
 *
 * @param count          events to send, duplicates included
 * @param duplicateRatio share of them that are true duplicates of earlier events
 * @param topics         topic names the unique events are spread over
 * @param batchSize      events per request (1 = single-event requests)
 * @param concurrency    requests in flight at once
 * @param rate           events per second at most, or 0 for as fast as acknowledged
 * @param async          send with {@code Prefer: respond-async} (the broker path)
 * @param seed           makes the run reproducible
 * @param target         the aggregator's base URL
 */
public record RunSettings(int count, double duplicateRatio, List<String> topics, int batchSize, int concurrency,
                          double rate, boolean async, long seed, URI target) {

    public RunSettings {
        topics = List.copyOf(topics);
    }
}
