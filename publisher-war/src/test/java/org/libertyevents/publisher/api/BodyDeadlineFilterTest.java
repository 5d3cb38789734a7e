package org.libertyevents.publisher.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** HTTP_BODY_DEADLINE: seconds or ISO-8601, at least a second. */
class BodyDeadlineFilterTest {

    @ParameterizedTest
    @CsvSource({"30,PT30S", "30s,PT30S", " 5s ,PT5S", "PT1M,PT1M", "PT1.5S,PT1.5S"})
    void readsSecondsOrIsoDurations(String setting, String expected) {
        assertEquals(Duration.parse(expected), BodyDeadlineFilter.parse(setting));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "PT0.5S", "-PT5S", "5m", "soon"})
    void refusesAnythingElse(String setting) {
        assertThrows(RuntimeException.class, () -> BodyDeadlineFilter.parse(setting));
    }
}
