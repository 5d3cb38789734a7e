package org.libertyevents.aggregator.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueryParametersTest {

    private static final Duration MAX = Duration.ofSeconds(60);

    @Test
    void aDurationIsSecondsMillisecondsOrIso8601() {
        assertEquals(Duration.ZERO, QueryParameters.duration("wait", null, MAX));
        assertEquals(Duration.ZERO, QueryParameters.duration("wait", "", MAX));
        assertEquals(Duration.ofSeconds(30), QueryParameters.duration("wait", "30", MAX));
        assertEquals(Duration.ofSeconds(30), QueryParameters.duration("wait", "30s", MAX));
        assertEquals(Duration.ofMillis(250), QueryParameters.duration("wait", "250ms", MAX));
        assertEquals(Duration.ofMillis(1500), QueryParameters.duration("wait", "PT1.5S", MAX));
        assertEquals(MAX, QueryParameters.duration("wait", "60s", MAX));
        assertEquals(Duration.ZERO, QueryParameters.duration("wait", "0s", MAX));
    }

    @ParameterizedTest
    @ValueSource(strings = {"61s", "60001ms", "PT61S", "-1", "PT-1S", "1m", "1h", "soon", "30 s", "P1D", "9999999999"})
    void anythingElseIsRefused(String value) {
        ProblemException refused = assertThrows(ProblemException.class,
                () -> QueryParameters.duration("wait", value, MAX));
        assertEquals(400, refused.problem().status());
    }
}
