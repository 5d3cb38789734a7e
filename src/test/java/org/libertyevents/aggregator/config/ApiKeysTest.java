package org.libertyevents.aggregator.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    @Test
    void blanksAndEmptyEntriesAreNoKeys() {
        assertTrue(ApiKeys.parse("").isEmpty());
        assertTrue(ApiKeys.parse(" , ,, ").isEmpty(), "only blanks and commas leave the service open");
        List<byte[]> keys = ApiKeys.parse(" first , ,second,");
        assertEquals(2, keys.size());
        assertArrayEquals("first".getBytes(StandardCharsets.UTF_8), keys.get(0));
        assertArrayEquals("second".getBytes(StandardCharsets.UTF_8), keys.get(1));
    }

    @Test
    void aKeyIsTakenFromBearerOrTheApiKeyHeader() {
        assertArrayEquals("k1".getBytes(StandardCharsets.UTF_8), ApiKeys.presented("bearer  k1 ", "k2"));
        assertArrayEquals("k2".getBytes(StandardCharsets.UTF_8), ApiKeys.presented("Basic abc", " k2"));
        assertNull(ApiKeys.presented(null, null));
    }
}
