package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeliveryTest {

    @Test
    void splitsAStreamEntryIdIntoItsTwoParts() {
        assertEquals(1_732_184_130_123L, Delivery.millis("1732184130123-7"));
        assertEquals(7L, Delivery.sequence("1732184130123-7"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "123", "1-2-3", "a-1", "1-b", "-1"})
    void refusesWhatIsNotAnEntryId(String id) {
        assertThrows(IllegalArgumentException.class, () -> new Delivery(id, List.of()));
    }
}
