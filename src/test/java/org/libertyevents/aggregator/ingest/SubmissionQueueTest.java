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

/**
 * SubmissionQueue: its bounds count queued and in-flight events and their estimated bytes, and writers take whole
 * submissions in FIFO order.
 */
class SubmissionQueueTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static Submission submission(int events) {
        return new Submission(IntStream.range(0, events)
                .mapToObj(i -> new Event("t", "e-" + i, AT, "src", "{}", AT))
                .toList(), null, 0);
    }

    /** A queue bounded by events alone. */
    private static SubmissionQueue byEvents(int capacity) {
        return new SubmissionQueue(capacity, Long.MAX_VALUE);
    }

    private static List<Integer> sizes(List<Submission> submissions) {
        return submissions.stream().map(Submission::size).toList();
    }

    @Test
    void offerAcceptsUpToCapacityAndRefusesBeyondIt() {
        SubmissionQueue queue = byEvents(10);

        assertTrue(queue.offer(submission(4)));
        assertTrue(queue.offer(submission(6)));
        assertFalse(queue.offer(submission(1)));

        assertEquals(10, queue.pending());
    }

    @Test
    void refusedOfferLeavesTheQueueUnchanged() {
        SubmissionQueue queue = byEvents(10);
        Submission first = submission(8);
        queue.offer(first);

        assertFalse(queue.offer(submission(3)));

        assertEquals(8, queue.pending());
        assertEquals(List.of(first), queue.takeGroup(100));
    }

    @Test
    void inFlightEventsCountTowardsCapacityUntilCompleted() {
        SubmissionQueue queue = byEvents(10);
        queue.offer(submission(6));
        List<Submission> inFlight = queue.takeGroup(100);

        assertTrue(queue.isEmpty());
        assertEquals(6, queue.pending());
        assertFalse(queue.offer(submission(5)));
        assertTrue(queue.offer(submission(4)));

        queue.completed(inFlight);

        assertEquals(4, queue.pending());
        assertTrue(queue.offer(submission(6)));
    }

    @Test
    void oversizeSubmissionIsAdmittedWhenNothingIsPending() {
        SubmissionQueue queue = byEvents(10);

        assertTrue(queue.offer(submission(25)));

        assertEquals(25, queue.pending());
        assertFalse(queue.offer(submission(1)));
    }

    @Test
    void oversizeSubmissionIsRefusedWhileAnythingIsQueued() {
        SubmissionQueue queue = byEvents(10);
        queue.offer(submission(1));

        assertFalse(queue.offer(submission(25)));
    }

    @Test
    void oversizeSubmissionIsRefusedWhileAnythingIsInFlight() {
        SubmissionQueue queue = byEvents(10);
        queue.offer(submission(1));
        List<Submission> inFlight = queue.takeGroup(10);

        assertFalse(queue.offer(submission(25)));

        queue.completed(inFlight);
        assertTrue(queue.offer(submission(25)));
    }

    @Test
    void takeGroupTakesWholeSubmissionsInFifoOrderUpToMaxEvents() {
        SubmissionQueue queue = byEvents(100);
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
        SubmissionQueue queue = byEvents(100);
        queue.offer(submission(3));
        queue.offer(submission(7));
        queue.offer(submission(1));

        assertEquals(List.of(3), sizes(queue.takeGroup(5)));
        assertEquals(List.of(7), sizes(queue.takeGroup(5)));
        assertEquals(List.of(1), sizes(queue.takeGroup(5)));
    }

    @Test
    void takeGroupTakesOneSubmissionLargerThanMaxEvents() {
        SubmissionQueue queue = byEvents(100);
        queue.offer(submission(12));
        queue.offer(submission(1));

        List<Submission> group = queue.takeGroup(5);

        assertEquals(List.of(12), sizes(group));
        assertEquals(13, queue.pending());
        assertFalse(queue.isEmpty());
    }

    @Test
    void takeGroupOnAnEmptyQueueTakesNothing() {
        SubmissionQueue queue = byEvents(10);

        assertEquals(List.of(), queue.takeGroup(5));
        assertEquals(0, queue.pending());
        assertTrue(queue.isEmpty());
    }

    @Test
    void pendingAddsQueuedAndInFlightAndCompletedReleasesPartially() {
        SubmissionQueue queue = byEvents(100);
        queue.offer(submission(2));
        queue.offer(submission(3));
        queue.offer(submission(4));
        List<Submission> group = queue.takeGroup(5);

        assertEquals(9, queue.pending());

        queue.completed(group.subList(0, 1));
        assertEquals(7, queue.pending());

        queue.completed(group.subList(1, 2));
        assertEquals(4, queue.pending());
    }

    @Test
    void clearReturnsQueuedSubmissionsInOrderButNotThoseInFlight() {
        SubmissionQueue queue = byEvents(100);
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

    /** A submission of one event whose payload text has {@code payloadChars} characters. */
    private static Submission ofPayload(int payloadChars) {
        String payload = "{\"p\":\"" + "x".repeat(payloadChars - 8) + "\"}";
        return new Submission(List.of(new Event("t", "e", AT, "src", payload, AT)), null, 0);
    }

    @Test
    void aSubmissionsBytesAreItsEventsTextsAndAnOverheadPerEvent() {
        Event plain = new Event("topic", "id-1", AT, "source", "{\"a\":1}", AT);
        Event cloud = new Event("topic", "id-2", AT, "source", "{}", AT, "{\"type\":\"x\"}");

        Submission submission = new Submission(List.of(plain, cloud), null, 0);

        long texts = (5 + 4 + 6 + 7) + (5 + 4 + 6 + 2 + 12);
        assertEquals(texts + 2L * Submission.EVENT_OVERHEAD_BYTES, submission.bytes());
    }

    @Test
    void offerRefusesWhatWouldPassTheByteBoundAlthoughEventsFit() {
        Submission first = ofPayload(4_000);
        SubmissionQueue queue = new SubmissionQueue(100, 2 * first.bytes());

        assertTrue(queue.offer(first));
        assertTrue(queue.offer(ofPayload(4_000)));
        assertFalse(queue.offer(ofPayload(10)), "one more small event passes the byte bound");

        assertEquals(2, queue.pending());
        assertEquals(2 * first.bytes(), queue.pendingBytes());
    }

    @Test
    void inFlightBytesCountUntilCompletedAndClearReleasesQueuedBytes() {
        Submission big = ofPayload(4_000);
        SubmissionQueue queue = new SubmissionQueue(100, big.bytes() + 1_000);
        queue.offer(big);
        List<Submission> inFlight = queue.takeGroup(10);
        Submission small = ofPayload(100);

        assertTrue(queue.offer(small));
        assertFalse(queue.offer(ofPayload(4_000)));
        queue.completed(inFlight);
        assertEquals(small.bytes(), queue.pendingBytes());

        queue.clear();
        assertEquals(0, queue.pendingBytes());
        assertTrue(queue.offer(ofPayload(4_000)));
    }

    @Test
    void aSubmissionLargerThanTheByteBoundIsAdmittedOnlyWhenNothingIsPending() {
        SubmissionQueue queue = new SubmissionQueue(100, 1_000);
        queue.offer(ofPayload(100));

        assertFalse(queue.offer(ofPayload(50_000)));

        queue.completed(queue.takeGroup(10));
        assertTrue(queue.offer(ofPayload(50_000)));
        assertFalse(queue.offer(ofPayload(100)));
    }

    @Test
    void submissionKeepsACopyOfItsEventsAndAnOpenFuture() {
        List<Event> events = new ArrayList<>(submission(2).events());
        Submission submission = new Submission(events, null, 0);

        events.add(new Event("t", "late", AT, "src", "{}", AT));

        assertEquals(2, submission.size());
        assertEquals(List.of("e-0", "e-1"), submission.events().stream().map(Event::eventId).toList());
        assertFalse(submission.verdicts().isDone());
    }
}
