package org.libertyevents.aggregator.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A FIFO of submissions bounded by the number of events it holds and by their estimated size in bytes, counting
 * those taken by a writer until their transaction ends: memory stays bounded however fast requests arrive, and
 * however large their payloads. Writers take whole submissions, as many as fit in one group, so each request is
 * committed in exactly one transaction.
 */
final class SubmissionQueue {

    private final int capacity;
    private final long maxBytes;
    private final ArrayDeque<Submission> queue = new ArrayDeque<>();
    private int queuedEvents;
    private int inFlightEvents;
    private long pendingBytes;

    SubmissionQueue(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a submission unless it would take the pending total over either bound. A submission larger than a whole
     * bound is let in when nothing else is pending, so a misconfigured bound cannot refuse it for ever.
     */
    synchronized boolean offer(Submission submission) {
        int pending = queuedEvents + inFlightEvents;
        boolean full = pending + submission.size() > capacity || pendingBytes + submission.bytes() > maxBytes;
        if (full && pending > 0) {
            return false;
        }
        queue.addLast(submission);
        queuedEvents += submission.size();
        pendingBytes += submission.bytes();
        return true;
    }

    /**
     * Takes the oldest submissions whose events add up to at most {@code maxEvents}, and at least one submission
     * if any is queued; they count as in flight until {@link #completed(List)}.
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

    /** Releases submissions a writer has finished with, committed or failed. */
    synchronized void completed(List<Submission> done) {
        for (Submission submission : done) {
            inFlightEvents -= submission.size();
            pendingBytes -= submission.bytes();
        }
    }

    /** Events accepted and not yet committed or failed: queued plus in flight. */
    synchronized int pending() {
        return queuedEvents + inFlightEvents;
    }

    /** The estimated bytes of the pending events. */
    synchronized long pendingBytes() {
        return pendingBytes;
    }

    synchronized boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Removes and returns everything queued (not in flight), for failing it on shutdown. */
    synchronized List<Submission> clear() {
        List<Submission> all = new ArrayList<>(queue);
        queue.clear();
        queuedEvents = 0;
        all.forEach(submission -> pendingBytes -= submission.bytes());
        return all;
    }
}
