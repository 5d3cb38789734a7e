package org.libertyevents.aggregator.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdempotencyKeysTest {

    @Test
    void takesTheDraftsQuotedStringAndABareToken() {
        assertEquals("8e03978e-40d5-43e8-bc93-6894a57f9324",
                IdempotencyKeys.parseKey("\"8e03978e-40d5-43e8-bc93-6894a57f9324\""));
        assertEquals("order-17", IdempotencyKeys.parseKey(" order-17 "));
        assertEquals("a b", IdempotencyKeys.parseKey("\"a b\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"\"", "   ", "caf\u00e9", "tab\there", "\"quote\"inside\"", "back\\slash"})
    void refusesKeysThatAreEmptyOrNotPrintableAscii(String raw) {
        ProblemException e = assertThrows(ProblemException.class, () -> IdempotencyKeys.parseKey(raw));
        assertEquals(400, e.problem().status());
    }

    @Test
    void refusesKeysLongerThan255Characters() {
        assertEquals(255, IdempotencyKeys.parseKey("k".repeat(255)).length());
        assertThrows(ProblemException.class, () -> IdempotencyKeys.parseKey("k".repeat(256)));
    }
}
