package org.libertyevents.aggregator.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetentionSettingsTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void partitionsAreATenthOfTheRetentionBetweenASecondAndADay() {
        assertEquals(Duration.ofDays(1), settings(Duration.ofDays(30), null).partitionWidth());
        assertEquals(Duration.ofHours(6), settings(Duration.ofHours(60), null).partitionWidth());
        assertEquals(Duration.ofSeconds(1), settings(Duration.ofSeconds(3), null).partitionWidth());
        assertEquals(Duration.ofDays(1), new RetentionSettings(Optional.empty(), Optional.empty(), MINUTE)
                .partitionWidth(), "without retention, a partition a day");
    }

    @Test
    void keysAreNeverForgottenBeforeTheirPayloads() {
        assertThrows(IllegalArgumentException.class, () -> settings(Duration.ofDays(30), Duration.ofDays(7)));
        assertThrows(IllegalArgumentException.class, () -> new RetentionSettings(Optional.empty(),
                Optional.of(Duration.ofDays(7)), MINUTE), "payloads kept for ever, keys forgotten");
        assertEquals(Optional.of(Duration.ofDays(30)), settings(Duration.ofDays(7), Duration.ofDays(30)).keys());
    }

    @Test
    void durationsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> settings(Duration.ZERO, null));
        assertThrows(IllegalArgumentException.class, () -> new RetentionSettings(Optional.empty(), Optional.empty(),
                Duration.ofSeconds(-1)));
    }

    private static RetentionSettings settings(Duration payloads, Duration keys) {
        return new RetentionSettings(Optional.of(payloads), Optional.ofNullable(keys), MINUTE);
    }
}
