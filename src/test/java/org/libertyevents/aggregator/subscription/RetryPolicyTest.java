package org.libertyevents.aggregator.subscription;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1));

    @Test
    void doublesFromTheMinimumWithJitterInTheUpperHalf() {
        assertEquals(Duration.ofMillis(2_500), policy.delay(1, null, 0.0));
        assertEquals(Duration.ofMillis(4_999), policy.delay(1, null, 0.9999));
        assertEquals(Duration.ofSeconds(5), policy.delay(2, null, 0.0));
        assertEquals(Duration.ofSeconds(20), policy.delay(4, null, 0.0));
    }

    @Test
    void staysWithinTheMaximumHoweverManyFailures() {
        assertEquals(Duration.ofMinutes(30), policy.delay(12, null, 0.0));
        assertEquals(Duration.ofMinutes(30), policy.delay(1_000, null, 0.0));
        assertEquals(Duration.ofMillis(3_599_999), policy.delay(Integer.MAX_VALUE, null, 0.9999995));
    }

    @Test
    void neverSoonerThanRetryAfter() {
        assertEquals(Duration.ofSeconds(120), policy.delay(1, Duration.ofSeconds(120), 0.5));
        assertEquals(Duration.ofMillis(3_750), policy.delay(1, Duration.ofSeconds(1), 0.5));
    }

    @Test
    void readsRetryAfterInSecondsOrAsADate() {
        java.time.Instant now = java.time.Instant.parse("2026-12-03T10:00:00Z");
        assertEquals(Duration.ofSeconds(30), WebhookSender.retryAfter("30", now));
        assertEquals(Duration.ofSeconds(90), WebhookSender.retryAfter("Thu, 03 Dec 2026 10:01:30 GMT", now));
        assertEquals(Duration.ZERO, WebhookSender.retryAfter("Thu, 03 Dec 2026 09:00:00 GMT", now));
        assertEquals(null, WebhookSender.retryAfter("soon", now));
    }
}
