package org.libertyevents.aggregator.ingest;

import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.event.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SubmissionQueue: capacity counts queued and in-flight events, and writers take whole submissions in FIFO order. */
class SubmissionQueueTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static Submission submission(int events) {
        return new Submission(IntStream.range(0, events)
                .mapToObj(i -> new Event("t", "e-" + i, AT, "src", "{}", AT))
                .toList(), 0);
    }

    private static List<Integer> sizes(List<Submission> submissions) {
        return submissions.stream().map(Submission::size).toList();
    }

    @Test
    void offerAcceptsUpToCapacityAndRefusesBeyondIt() {
        SubmissionQueue queue = new SubmissionQueue(10);

        assertTrue(queue.offer(submission(4)));
        assertTrue(queue.offer(submission(6)));
        assertFalse(queue.offer(submission(1)));

        assertEquals(10, queue.pending());
    }

    @Test
    void refusedOfferLeavesTheQueueUnchanged() {
        SubmissionQueue queue = new SubmissionQueue(10);
        Submission first = submission(8);
        queue.offer(first);

        assertFalse(queue.offer(submission(3)));

        assertEquals(8, queue.pending());
        assertEquals(List.of(first), queue.takeGroup(100));
    }

    @Test
    void inFlightEventsCountTowardsCapacityUntilCompleted() {
        SubmissionQueue queue = new SubmissionQueue(10);
        queue.offer(submission(6));
        queue.takeGroup(100);

        assertTrue(queue.isEmpty());
        assertEquals(6, queue.pending());
        assertFalse(queue.offer(submission(5)));
        assertTrue(queue.offer(submission(4)));

        queue.completed(6);

        assertEquals(4, queue.pending());
        assertTrue(queue.offer(submission(6)));
    }

    @Test
    void oversizeSubmissionIsAdmittedWhenNothingIsPending() {
        SubmissionQueue queue = new SubmissionQueue(10);

        assertTrue(queue.offer(submission(25)));

        assertEquals(25, queue.pending());
        assertFalse(queue.offer(submission(1)));
    }

    @Test
    void oversizeSubmissionIsRefusedWhileAnythingIsQueued() {
        SubmissionQueue queue = new SubmissionQueue(10);
        queue.offer(submission(1));

        assertFalse(queue.offer(submission(25)));
    }

    @Test
    void oversizeSubmissionIsRefusedWhileAnythingIsInFlight() {
        SubmissionQueue queue = new SubmissionQueue(10);
        queue.offer(submission(1));
        queue.takeGroup(10);

        assertFalse(queue.offer(submission(25)));

        queue.completed(1);
        assertTrue(queue.offer(submission(25)));
    }

    @Test
    void takeGroupTakesWholeSubmissionsInFifoOrderUpToMaxEvents() {
        SubmissionQueue queue = new SubmissionQueue(100);
        List<Submission> offered = new ArrayList<>();
        for (int size : new int[] {3, 4, 2, 5}) {
            Submission submission = submission(size);
            offered.add(submission);
            queue.offer(submission);
        }

        List<Submission> first = queue.takeGroup(9);
        List<Submission> second = queue.takeGroup(9);

        assertEquals(offered.subList(0, 3), first);
        assertEquals(offered.subList(3, 4), second);
        assertEquals(List.of(), queue.takeGroup(9));
    }

    @Test
    void takeGroupStopsAtTheFirstSubmissionThatDoesNotFit() {
        SubmissionQueue queue = new SubmissionQueue(100);
        queue.offer(submission(3));
        queue.offer(submission(7));
        queue.offer(submission(1));

        assertEquals(List.of(3), sizes(queue.takeGroup(5)));
        assertEquals(List.of(7), sizes(queue.takeGroup(5)));
        assertEquals(List.of(1), sizes(queue.takeGroup(5)));
    }

    @Test
    void takeGroupTakesOneSubmissionLargerThanMaxEvents() {
        SubmissionQueue queue = new SubmissionQueue(100);
        queue.offer(submission(12));
        queue.offer(submission(1));

        List<Submission> group = queue.takeGroup(5);

        assertEquals(List.of(12), sizes(group));
        assertEquals(13, queue.pending());
        assertFalse(queue.isEmpty());
    }

    @Test
    void takeGroupOnAnEmptyQueueTakesNothing() {
        SubmissionQueue queue = new SubmissionQueue(10);

        assertEquals(List.of(), queue.takeGroup(5));
        assertEquals(0, queue.pending());
        assertTrue(queue.isEmpty());
    }

    @Test
    void pendingAddsQueuedAndInFlightAndCompletedReleasesPartially() {
        SubmissionQueue queue = new SubmissionQueue(100);
        queue.offer(submission(2));
        queue.offer(submission(3));
        queue.offer(submission(4));
        queue.takeGroup(5);

        assertEquals(9, queue.pending());

        queue.completed(2);
        assertEquals(7, queue.pending());

        queue.completed(3);
        assertEquals(4, queue.pending());
    }

    @Test
    void clearReturnsQueuedSubmissionsInOrderButNotThoseInFlight() {
        SubmissionQueue queue = new SubmissionQueue(100);
        Submission inFlight = submission(2);
        Submission second = submission(3);
        Submission third = submission(4);
        queue.offer(inFlight);
        queue.offer(second);
        queue.offer(third);
        queue.takeGroup(2);

        List<Submission> cleared = queue.clear();

        assertEquals(List.of(second, third), cleared);
        assertSame(second, cleared.get(0));
        assertTrue(queue.isEmpty());
        assertEquals(2, queue.pending());
        assertEquals(List.of(), queue.clear());
    }

    @Test
    void submissionKeepsACopyOfItsEventsAndAnOpenFuture() {
        List<Event> events = new ArrayList<>(submission(2).events());
        Submission submission = new Submission(events, 0);

        events.add(new Event("t", "late", AT, "src", "{}", AT));

        assertEquals(2, submission.size());
        assertEquals(List.of("e-0", "e-1"), submission.events().stream().map(Event::eventId).toList());
        assertFalse(submission.verdicts().isDone());
    }
}
