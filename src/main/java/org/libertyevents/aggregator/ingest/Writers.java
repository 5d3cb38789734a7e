package org.libertyevents.aggregator.ingest;

import jakarta.enterprise.concurrent.ManagedExecutorService;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The writer tasks of the pipeline: up to {@code max} on the managed executor, each taking groups off the
 * {@link SubmissionQueue} and committing them until the queue is empty. A writer runs only while there is work, so
 * an idle service holds no thread.
 */
final class Writers {

    private static final Logger LOG = Logger.getLogger(Writers.class.getName());

    private final ManagedExecutorService executor;
    private final SubmissionQueue queue;
    private final GroupCommitter committer;
    private final int max;
    private final int maxGroupEvents;
    private final AtomicInteger running = new AtomicInteger();
    private volatile long lastProgressNanos = System.nanoTime();

    Writers(ManagedExecutorService executor, SubmissionQueue queue, GroupCommitter committer, int max,
            int maxGroupEvents) {
        this.executor = executor;
        this.queue = queue;
        this.committer = committer;
        this.max = max;
        this.maxGroupEvents = maxGroupEvents;
    }

    /** Starts writers, up to the maximum, while the queue holds work. */
    void start() {
        while (true) {
            int now = running.get();
            if (now >= max || queue.isEmpty()) {
                return;
            }
            if (running.compareAndSet(now, now + 1)) {
                lastProgressNanos = System.nanoTime();
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException e) {
                    running.decrementAndGet();
                    LOG.warning(() -> "Ingest executor refused a writer: " + e.getMessage());
                    return;
                }
            }
        }
    }

    /** When a writer last started or finished a group. */
    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /**
     * Commits what is queued until the queue is empty or {@code deadlineNanos} passes, on the calling thread when no
     * writer runs: the executor may no longer run new tasks while the application stops.
     */
    void drainBefore(long deadlineNanos) {
        while (queue.pending() > 0 && System.nanoTime() < deadlineNanos) {
            if (running.get() == 0 && running.compareAndSet(0, 1)) {
                drain();
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    private void drain() {
        try {
            for (var group = queue.takeGroup(maxGroupEvents); !group.isEmpty(); group = queue.takeGroup(maxGroupEvents)) {
                commit(group);
            }
        } finally {
            running.decrementAndGet();
            // A submission queued while this writer was finishing may have seen it still running.
            start();
        }
    }

    private void commit(List<Submission> group) {
        List<Runnable> replies = committer.commit(group);
        lastProgressNanos = System.nanoTime();
        // Replies go out once the commit has ended, so a client that reads /stats after its 200 sees its events.
        replies.forEach(Runnable::run);
    }
}
