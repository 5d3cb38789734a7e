package org.libertyevents.publisher.run;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** One publisher run and its live progress; written by its workers, read by the REST API. */
public final class Run {

    /** Where a run is in its life. */
    public enum State { WAITING_FOR_TARGET, RUNNING, AUDITING, SUCCEEDED, FAILED, CANCELLED }

    private final String id;
    private final RunSettings settings;
    private final Instant createdAt = Instant.now();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    private volatile State state = State.WAITING_FOR_TARGET;
    private volatile Instant startedAt;
    private volatile Instant endedAt;
    private volatile String error;
    private volatile Audit audit;
    private volatile boolean cancelRequested;
    /** The last reason a batch was given up on. */
    volatile String lastError;
    volatile long lastProgressNanos = System.nanoTime();

    Run(String id, RunSettings settings) {
        this.id = id;
        this.settings = settings;
    }

    public String id() {
        return id;
    }

    public RunSettings settings() {
        return settings;
    }

    public State state() {
        return state;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public long sent() {
        return sent.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long retried() {
        return retried.get();
    }

    public long failed() {
        return failed.get();
    }

    public String error() {
        return error;
    }

    public Audit audit() {
        return audit;
    }

    public boolean finished() {
        return state == State.SUCCEEDED || state == State.FAILED || state == State.CANCELLED;
    }

    /** Time spent sending so far (or in all, once finished). */
    public Duration elapsed() {
        Instant start = startedAt;
        if (start == null) {
            return Duration.ZERO;
        }
        Instant end = endedAt == null ? Instant.now() : endedAt;
        return Duration.between(start, end);
    }

    /** Acknowledged events per second of elapsed time. */
    public double eventsPerSecond() {
        double seconds = elapsed().toNanos() / 1e9;
        return seconds <= 0 ? 0 : acknowledged.get() / seconds;
    }

    /** Seconds to go at the current pace, or null when unknown or done. */
    public Long etaSeconds() {
        double pace = eventsPerSecond();
        long left = settings.count() - acknowledged.get() - failed.get();
        return state != State.RUNNING || pace <= 0 ? null : Math.round(left / pace);
    }

    /** Time since a batch of this run was last acknowledged or given up on. */
    public Duration sinceProgress() {
        return Duration.ofNanos(System.nanoTime() - lastProgressNanos);
    }

    void cancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void running() {
        startedAt = Instant.now();
        state = State.RUNNING;
    }

    void auditing() {
        endedAt = Instant.now();
        state = State.AUDITING;
    }

    void finish(State finalState, Audit result, String reason) {
        if (endedAt == null) {
            endedAt = Instant.now();
        }
        audit = result;
        error = reason;
        state = finalState;
    }
}
