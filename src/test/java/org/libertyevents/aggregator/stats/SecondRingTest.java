package org.libertyevents.aggregator.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecondRingTest {

    private static final long T = 1_750_000_000L;

    @Test
    void holdsEachSecondsCountsOldestFirst() {
        SecondRing ring = new SecondRing(5, 2);
        ring.add(T, new long[] {3, 1});
        ring.add(T + 1, new long[] {4, 0});
        ring.add(T + 2, new long[] {0, 0});

        List<SecondRing.Second> held = ring.seconds();
        assertEquals(List.of(T, T + 1, T + 2), held.stream().map(SecondRing.Second::second).toList());
        assertArrayEquals(new long[] {3, 1}, held.get(0).counts());
        assertArrayEquals(new long[] {4, 0}, held.get(1).counts());
        assertArrayEquals(new long[] {0, 0}, held.get(2).counts());
    }

    @Test
    void wrapsAroundKeepingTheLastSeconds() {
        SecondRing ring = new SecondRing(4, 1);
        for (long s = 0; s < 11; s++) {
            ring.add(T + s, new long[] {s * 10});
        }

        List<SecondRing.Second> held = ring.seconds();
        assertEquals(List.of(T + 7, T + 8, T + 9, T + 10), held.stream().map(SecondRing.Second::second).toList());
        assertEquals(List.of(70L, 80L, 90L, 100L), held.stream().map(s -> s.counts()[0]).toList());
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        SecondRing ring = new SecondRing(60, 3);
        for (long s = 0; s < 10_000; s += 1 + s % 3) {
            ring.add(T + s, new long[] {1, 2, 3});
            assertTrue(ring.seconds().size() <= 60);
        }
        assertEquals(60, ring.seconds().size());
    }

    @Test
    void spreadsTheCountsOfMissedSecondsEvenlyKeepingTheTotal() {
        SecondRing ring = new SecondRing(10, 2);
        ring.add(T, new long[] {5, 0});
        // The samples of T+1 and T+2 were missed: the one at T+3 holds three seconds' counts.
        ring.add(T + 3, new long[] {10, 2});

        List<SecondRing.Second> held = ring.seconds();
        assertEquals(List.of(T, T + 1, T + 2, T + 3), held.stream().map(SecondRing.Second::second).toList());
        assertEquals(List.of(5L, 3L, 3L, 4L), held.stream().map(s -> s.counts()[0]).toList());
        assertEquals(List.of(0L, 0L, 1L, 1L), held.stream().map(s -> s.counts()[1]).toList());
    }

    @Test
    void aMissedStretchLeavesNothingOfTheSecondsBeforeTheWrap() {
        SecondRing ring = new SecondRing(4, 1);
        for (long s = 0; s < 4; s++) {
            ring.add(T + s, new long[] {100});
        }
        // Six seconds missed: every slot is reused, and the stretch older than the ring's reach is dropped.
        ring.add(T + 10, new long[] {700});

        List<SecondRing.Second> held = ring.seconds();
        assertEquals(List.of(T + 7, T + 8, T + 9, T + 10), held.stream().map(SecondRing.Second::second).toList());
        assertEquals(List.of(100L, 100L, 100L, 100L), held.stream().map(s -> s.counts()[0]).toList());
    }

    @Test
    void secondsNeverSampledAreLeftOut() {
        SecondRing ring = new SecondRing(10, 1);
        ring.add(T + 8, new long[] {2});
        ring.add(T + 9, new long[] {3});

        // The ring reaches back to T, but only T+8 and T+9 were ever sampled.
        assertEquals(List.of(T + 8, T + 9), ring.seconds().stream().map(SecondRing.Second::second).toList());
    }

    @Test
    void aClockSteppingBackAddsToTheLatestSecond() {
        SecondRing ring = new SecondRing(10, 1);
        ring.add(T + 5, new long[] {2});
        ring.add(T + 3, new long[] {4});
        ring.add(T + 5, new long[] {1});

        List<SecondRing.Second> held = ring.seconds();
        assertEquals(1, held.size());
        assertEquals(T + 5, held.get(0).second());
        assertEquals(7, held.get(0).counts()[0]);
    }

    @Test
    void theTotalSurvivesAnyPatternOfGapsWithinReach() {
        SecondRing ring = new SecondRing(1000, 1);
        long[] deltas = LongStream.range(0, 50).map(i -> i * 7 % 13).toArray();
        long second = T;
        for (long delta : deltas) {
            second += 1 + delta % 4;
            ring.add(second, new long[] {delta});
        }
        long held = ring.seconds().stream().mapToLong(s -> s.counts()[0]).sum();
        assertEquals(Arrays.stream(deltas).sum(), held);
    }

    @Test
    void refusesCountsOfAnotherWidth() {
        SecondRing ring = new SecondRing(10, 2);
        assertThrows(IllegalArgumentException.class, () -> ring.add(T, new long[] {1}));
    }
}
