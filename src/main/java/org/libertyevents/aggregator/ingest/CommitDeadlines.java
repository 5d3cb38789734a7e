package org.libertyevents.aggregator.ingest;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The submissions whose clients wait, in deadline order (every one has the same timeout). One periodic sweep
 * answers the overdue ones with a timeout: a timer per request would cost the scheduler work per request and keep
 * its events alive for the whole timeout.
 */
final class CommitDeadlines {

    private final Queue<Submission> awaiting = new ConcurrentLinkedQueue<>();
    private final Duration timeout;

    CommitDeadlines(Duration timeout) {
        this.timeout = timeout;
    }

    void add(Submission submission) {
        awaiting.add(submission);
    }

    /** Answers the submissions not committed by their deadline with a timeout; they may still commit later. */
    void expireOverdue() {
        long now = System.nanoTime();
        for (Submission head = awaiting.peek(); head != null; head = awaiting.peek()) {
            if (!head.verdicts().isDone() && now - head.deadlineNanos() < 0) {
                return;
            }
            awaiting.poll();
            head.verdicts().completeExceptionally(new IngestRejectedException(
                    IngestRejectedException.Reason.COMMIT_TIMEOUT, "the events were accepted but not committed within "
                    + timeout.toSeconds() + " s; publishing them again is safe"));
        }
    }
}
