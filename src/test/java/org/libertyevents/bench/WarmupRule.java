package org.libertyevents.bench;

import java.time.Duration;

/**
 * When a warm-up may end: Liberty's JIT compiles for minutes on two cores, in steps, so a rate can stay flat for a
 * round and then double (measured with wrk on the minimal JAX-RS server: 4,900 requests/s for 20 s, 30,000 after
 * 100 s). Rounds go on for at least {@code minimum}, then until one does not beat the best so far by {@code rise},
 * and never past {@code maxRounds}.
 */
record WarmupRule(Duration minimum, double rise, int maxRounds) {

    /** Whether the warm-up ends after {@code round} (from 1), whose rate was {@code rate}, {@code elapsed} in. */
    boolean ends(int round, double rate, double best, Duration elapsed) {
        boolean flat = rate < best * rise;
        return round >= maxRounds || flat && elapsed.compareTo(minimum) >= 0;
    }
}
