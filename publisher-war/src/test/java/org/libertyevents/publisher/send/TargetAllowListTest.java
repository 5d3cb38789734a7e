package org.libertyevents.publisher.send;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The target allow-list: parsing PUBLISHER_TARGETS, origin matching, and which origin gets the API key. */
class TargetAllowListTest {

    private static final URI AGGREGATOR = URI.create("http://aggregator:9080");

    @Test
    void withoutTargetsOnlyTheAggregatorIsAllowed() {
        TargetAllowList list = TargetAllowList.parse(AGGREGATOR, "");

        assertEquals(List.of(new Origin("http", "aggregator", 9080)), List.copyOf(list.origins()));
        assertTrue(list.allows(URI.create("http://aggregator:9080")));
        assertFalse(list.allows(URI.create("http://127.0.0.1:18777")));
    }

    @Test
    void entriesAreOriginsOrUrlsSeparatedByCommasWithBlanksAndEmptyEntriesIgnored() {
        TargetAllowList list = TargetAllowList.parse(AGGREGATOR,
                " https://replica.internal , ,http://other:9180/some/path?x#y,, ");

        assertEquals(List.of(new Origin("http", "aggregator", 9080), new Origin("https", "replica.internal", 443),
                new Origin("http", "other", 9180)), List.copyOf(list.origins()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://aggregator:9080", "HTTP://AGGREGATOR:9080", "http://aggregator:9080/",
            "http://aggregator:9080/base/path", "https://replica.internal", "https://replica.internal:443/x",
            "http://other"})
    void sameOriginIsAllowedWhateverItsSpellingAndPath(String target) {
        TargetAllowList list = TargetAllowList.parse(AGGREGATOR, "https://replica.internal,http://other:80");

        assertTrue(list.allows(URI.create(target)), target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://aggregator:9081", "https://aggregator:9080", "http://aggregator",
            "http://aggregator.:9080", "http://127.0.0.1:9080", "http://replica.internal",
            "https://replica.internal:8443",
            "ftp://aggregator:9080", "http://user@aggregator:9080", "/publish", "http:///x"})
    void anyOtherOriginIsRefused(String target) {
        TargetAllowList list = TargetAllowList.parse(AGGREGATOR, "https://replica.internal");

        assertFalse(list.allows(URI.create(target)), target);
    }

    @Test
    void onlyTheAggregatorsOriginGetsTheKey() {
        TargetAllowList list = TargetAllowList.parse(AGGREGATOR, "http://listener:18777");

        assertTrue(list.isAggregator(URI.create("HTTP://Aggregator:9080/")));
        assertFalse(list.isAggregator(URI.create("http://listener:18777")));
        assertFalse(list.isAggregator(URI.create("http://aggregator:9081")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"listener:18777", "ftp://listener", "http://", "http://user:pw@listener", "http://a b"})
    void aBadEntryIsAnError(String entry) {
        assertThrows(IllegalArgumentException.class, () -> TargetAllowList.parse(AGGREGATOR, "http://ok," + entry));
    }
}
