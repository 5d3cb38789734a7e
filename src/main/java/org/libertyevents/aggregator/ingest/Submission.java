package org.libertyevents.aggregator.ingest;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One publish request's events waiting in the queue, and the future its HTTP response waits on. */
final class Submission {

    private final List<Event> events;
    private final long deadlineNanos;
    private final CompletableFuture<List<Verdict>> verdicts = new CompletableFuture<>();

    Submission(List<Event> events, long deadlineNanos) {
        this.events = List.copyOf(events);
        this.deadlineNanos = deadlineNanos;
    }

    /** The {@link System#nanoTime()} after which the client stops waiting for the commit. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    List<Event> events() {
        return events;
    }

    int size() {
        return events.size();
    }

    CompletableFuture<List<Verdict>> verdicts() {
        return verdicts;
    }
}
