package org.libertyevents.aggregator.store;

import java.time.Instant;

/**
 * A bulk erasure: the events of {@code topic} and/or {@code source} received up to {@code requestedAt}.
 *
 * @param erased     payloads erased so far
 * @param finishedAt when the last of them went, or null while it runs
 */
public record ErasureJob(long id, String topic, String source, String reason, Instant requestedAt, long erased,
                         Instant finishedAt) {

    public boolean finished() {
        return finishedAt != null;
    }
}
