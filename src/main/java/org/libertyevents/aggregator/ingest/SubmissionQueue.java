package org.libertyevents.aggregator.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A FIFO of submissions bounded by the number of events it holds, counting those taken by a writer until their
 * transaction ends: memory stays bounded however fast requests arrive. Writers take whole submissions, as many as
 * fit in one group, so each request is committed in exactly one transaction.
 */
final class SubmissionQueue {

    private final int capacity;
    private final ArrayDeque<Submission> queue = new ArrayDeque<>();
    private int queuedEvents;
    private int inFlightEvents;

    SubmissionQueue(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Adds a submission unless it would take the pending total over capacity. A submission larger than the whole
     * capacity is let in when nothing else is pending, so a misconfigured capacity cannot refuse it for ever.
     */
    synchronized boolean offer(Submission submission) {
        int pending = queuedEvents + inFlightEvents;
        if (pending + submission.size() > capacity && pending > 0) {
            return false;
        }
        queue.addLast(submission);
        queuedEvents += submission.size();
        return true;
    }

    /**
     * Takes the oldest submissions whose events add up to at most {@code maxEvents}, and at least one submission
     * if any is queued; they count as in flight until {@link #completed(int)}.
     */
    synchronized List<Submission> takeGroup(int maxEvents) {
        List<Submission> group = new ArrayList<>();
        int events = 0;
        while (!queue.isEmpty()) {
            Submission next = queue.peekFirst();
            if (!group.isEmpty() && events + next.size() > maxEvents) {
                break;
            }
            group.add(queue.pollFirst());
            events += next.size();
        }
        queuedEvents -= events;
        inFlightEvents += events;
        return group;
    }

    /** Releases events a writer has finished with, committed or failed. */
    synchronized void completed(int events) {
        inFlightEvents -= events;
    }

    /** Events accepted and not yet committed or failed: queued plus in flight. */
    synchronized int pending() {
        return queuedEvents + inFlightEvents;
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Removes and returns everything queued (not in flight), for failing it on shutdown. */
    synchronized List<Submission> clear() {
        List<Submission> all = new ArrayList<>(queue);
        queue.clear();
        queuedEvents = 0;
        return all;
    }
}
