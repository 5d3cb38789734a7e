package org.libertyevents.aggregator.subscription;

import java.time.Duration;

/**
 * When to try a failing delivery again: exponential backoff from {@code min}, doubling per failure up to
 * {@code max}, with jitter (a random point in the upper half of the step, so that receivers recovering from an
 * outage are not hit by every subscription at once), and never sooner than the receiver's {@code Retry-After}.
 */
record RetryPolicy(Duration min, Duration max) {

    /**
     * @param failures   failures in a row so far, 1 or more
     * @param retryAfter what the receiver asked for, or null
     * @param random     a random number in [0, 1)
     */
    Duration delay(int failures, Duration retryAfter, double random) {
        int doublings = Math.min(failures - 1, 40);
        long step = Math.min(max.toMillis(), min.toMillis() * (1L << Math.min(doublings, 30)));
        Duration jittered = Duration.ofMillis(step / 2 + (long) (random * (step - step / 2)));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }
}
