package org.libertyevents.aggregator.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts per second for the last {@code capacity} seconds, in a fixed ring indexed by epoch second: its memory is
 * bounded whatever happens to the clock or the sampler. Each {@link #add} holds the counts since the one before;
 * when seconds were missed in between (a pause of the JVM, a late scheduler) the counts are spread evenly over the
 * missed seconds, so that the total stays right and no second shows the whole pause as one spike.
 */
final class SecondRing {

    private static final long NONE = Long.MIN_VALUE;

    private final int capacity;
    private final int width;
    /** The epoch second each slot holds, or {@link #NONE}. */
    private final long[] seconds;
    /** The counts of slot {@code i} at {@code [i * width, (i + 1) * width)}. */
    private final long[] counts;
    private long latest = NONE;

    /** One second of counts, as {@link #seconds()} returns them. */
    record Second(long second, long[] counts) {
    }

    /**
     * @param capacity the seconds kept
     * @param width    the counts of each second
     */
    SecondRing(int capacity, int width) {
        if (capacity < 1 || width < 1) {
            throw new IllegalArgumentException("capacity and width must be positive");
        }
        this.capacity = capacity;
        this.width = width;
        this.seconds = new long[capacity];
        this.counts = new long[Math.multiplyExact(capacity, width)];
        Arrays.fill(seconds, NONE);
    }

    /**
     * Adds the counts of the time since the previous call, which ended in {@code second}. The first call's counts
     * are taken as one second's. A second at or before the latest (the clock stepped back) adds to the latest.
     */
    synchronized void add(long second, long[] delta) {
        if (delta.length != width) {
            throw new IllegalArgumentException("expected " + width + " counts, got " + delta.length);
        }
        if (latest == NONE || second <= latest) {
            long into = latest == NONE ? second : latest;
            int slot = claim(into);
            for (int k = 0; k < width; k++) {
                counts[slot * width + k] += delta[k];
            }
            latest = into;
            return;
        }
        long span = second - latest;
        // Seconds older than the ring's reach would be overwritten in this very call: they are skipped.
        for (long s = Math.max(latest + 1, second - capacity + 1); s <= second; s++) {
            int slot = claim(s);
            long index = s - latest - 1;
            for (int k = 0; k < width; k++) {
                long share = delta[k] / span;
                // The remainder goes to the last seconds, one each, so that the shares add up to the delta.
                counts[slot * width + k] += share + (index >= span - delta[k] % span ? 1 : 0);
            }
        }
        latest = second;
    }

    /** The slot of {@code second}, emptied if it held another second. */
    private int claim(long second) {
        int slot = (int) Math.floorMod(second, (long) capacity);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            Arrays.fill(counts, slot * width, (slot + 1) * width, 0);
        }
        return slot;
    }

    /** The seconds held, oldest first: at most {@code capacity}, up to the latest added. */
    synchronized List<Second> seconds() {
        List<Second> held = new ArrayList<>(capacity);
        if (latest == NONE) {
            return held;
        }
        for (long s = latest - capacity + 1; s <= latest; s++) {
            int slot = (int) Math.floorMod(s, (long) capacity);
            if (seconds[slot] == s) {
                held.add(new Second(s, Arrays.copyOfRange(counts, slot * width, (slot + 1) * width)));
            }
        }
        return held;
    }
}
