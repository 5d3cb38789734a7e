package org.libertyevents.aggregator.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreferencesTest {

    @ParameterizedTest
    @ValueSource(strings = {"respond-async", "Respond-Async", " respond-async ", "wait=10, respond-async",
        "respond-async; foo=bar", "handling=lenient,respond-async", "return=minimal|respond-async"})
    void findsRespondAsync(String header) {
        assertTrue(Preferences.respondAsync(Arrays.asList(header.split("\\|"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "wait=10", "respond-asynchronously", "return=respond-async", "x; respond-async",
        "respondasync"})
    void ignoresOtherPreferences(String header) {
        assertFalse(Preferences.respondAsync(List.of(header)));
    }

    @Test
    void noHeaderMeansNoPreference() {
        assertFalse(Preferences.respondAsync(null));
        assertFalse(Preferences.respondAsync(List.of()));
    }
}
