package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The migrations' SQL computes the same hash: H2MigrationTest and RetentionMigrationIT find migrated keys taken. */
class KeyHashTest {

    @Test
    void isTheFirstSixteenBytesOfTheSha256OfTopicNulEventId() {
        // Computed apart from Java: printf 'orders\0o-1' | sha256sum
        assertEquals(UUID.fromString("a8973469-5a5a-a1e2-ae82-4aca8de24e9c"), KeyHash.of("orders", "o-1"));
    }

    @Test
    void theSeparatorKeepsTopicAndIdApart() {
        assertNotEquals(KeyHash.of("ab", "c"), KeyHash.of("a", "bc"));
        assertNotEquals(KeyHash.of("t", "e"), KeyHash.of("e", "t"));
    }

    @Test
    void textIsHashedAsUtf8() {
        assertNotEquals(KeyHash.of("t", "é"), KeyHash.of("t", "e\u0301"));
        assertEquals(KeyHash.of("tö", "e1"), UUID.fromString("0a583503-9801-ad5c-33a4-610e8a478f06"));
    }
}
