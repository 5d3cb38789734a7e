package org.libertyevents.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmupRuleTest {

    private final WarmupRule rule = new WarmupRule(Duration.ofSeconds(90), 1.05, 40);

    @Test
    void aFlatRoundDoesNotEndTheWarmupBeforeTheMinimum() {
        // the minimal JAX-RS server's third round under wrk: flat, 15 s in, a sixth of its warm rate
        assertFalse(rule.ends(3, 4_724, 4_888, Duration.ofSeconds(15)));
    }

    @Test
    void aFlatRoundAfterTheMinimumEndsIt() {
        assertTrue(rule.ends(19, 29_000, 30_000, Duration.ofSeconds(95)));
    }

    @Test
    void aRisingRoundAfterTheMinimumGoesOn() {
        assertFalse(rule.ends(19, 32_000, 30_000, Duration.ofSeconds(95)));
    }

    @Test
    void theLastRoundEndsItWhateverTheRate() {
        assertTrue(rule.ends(40, 40_000, 30_000, Duration.ofSeconds(15)));
        assertTrue(new WarmupRule(Duration.ofSeconds(90), 1.05, 1).ends(1, 100, 0, Duration.ZERO));
    }
}
