package org.libertyevents.aggregator.ingest;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.store.KeyedAnswer;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One publish request's events waiting in the queue, the answer its Idempotency-Key gets with them (if it has one),
 * and the future its HTTP response waits on.
 */
final class Submission {

    /** What an event holds beyond its texts: the record, its instants and the strings' headers. */
    static final int EVENT_OVERHEAD_BYTES = 160;

    private final List<Event> events;
    private final KeyedAnswer keyed;
    private final long bytes;
    private final long deadlineNanos;
    private final CompletableFuture<List<Verdict>> verdicts = new CompletableFuture<>();

    Submission(List<Event> events, KeyedAnswer keyed, long deadlineNanos) {
        this.events = List.copyOf(events);
        this.keyed = keyed;
        this.deadlineNanos = deadlineNanos;
        this.bytes = this.events.stream().mapToLong(Submission::estimatedBytes).sum();
    }

    /**
     * What an event keeps on the heap, estimated from its texts' lengths (a Java string of ASCII text holds a byte
     * per character): cheap, with no payload encoded again, and close enough for a bound.
     */
    static long estimatedBytes(Event event) {
        return EVENT_OVERHEAD_BYTES + event.topic().length() + event.eventId().length() + event.source().length()
                + event.payload().length() + (event.attributes() == null ? 0 : event.attributes().length())
                + (event.trace() == null ? 0 : event.trace().chars());
    }

    /** The {@link System#nanoTime()} after which the client stops waiting for the commit. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    List<Event> events() {
        return events;
    }

    /** The answer for the request's Idempotency-Key, or null without one. */
    KeyedAnswer keyed() {
        return keyed;
    }

    int size() {
        return events.size();
    }

    /** The estimated bytes its events keep on the heap. */
    long bytes() {
        return bytes;
    }

    CompletableFuture<List<Verdict>> verdicts() {
        return verdicts;
    }
}
