package org.libertyevents.aggregator.config;

import java.time.Duration;

/**
 * How the ingest pipeline queues and commits events.
 *
 * @param queueCapacity   events accepted but not yet committed, at most; beyond it publish answers 503
 * @param queueMaxBytes   the estimated heap size of those events, at most; beyond it publish answers 503 too
 * @param maxGroupEvents  events one group commit takes at most (a single larger request still goes whole)
 * @param writers         concurrent group-commit transactions
 * @param publishTimeout  how long a synchronous publish waits for its commit before answering 503
 * @param retryAfter      the Retry-After a 503 suggests
 * @param drainTimeout    how long a graceful stop waits for accepted events to commit
 * @param stallTimeout    how long queued events may wait without any writer progress before liveness fails
 */
public record IngestSettings(int queueCapacity, long queueMaxBytes, int maxGroupEvents, int writers, Duration publishTimeout,
                             Duration retryAfter, Duration drainTimeout, Duration stallTimeout) {

    public IngestSettings {
        if (queueCapacity < 1 || queueMaxBytes < 1 || maxGroupEvents < 1 || writers < 1) {
            throw new IllegalArgumentException("ingest sizes must be positive: " + this);
        }
    }
}
