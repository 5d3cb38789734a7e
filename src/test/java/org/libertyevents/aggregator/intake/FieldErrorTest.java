package org.libertyevents.aggregator.intake;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** FieldError.pointer(): an RFC 6901 JSON Pointer to the batch index and field, with "~" and "/" escaped. */
class FieldErrorTest {

    @ParameterizedTest(name = "index {0}, field {1} -> \"{2}\"")
    @CsvSource(nullValues = "NULL", value = {
            "3,    topic,      /3/topic",
            "0,    event_id,   /0/event_id",
            "NULL, topic,      /topic",
            "12,   NULL,       /12",
            "NULL, NULL,       ''",
            "NULL, a/b,        /a~1b",
            "NULL, a~b,        /a~0b",
            "1,    ~/x/~,      /1/~0~1x~1~0",
            "NULL, ~1,         /~01",
            "NULL, ~0/,        /~00~1",
            "NULL, '',         /"})
    void pointer(Integer index, String field, String expected) {
        assertEquals(expected, new FieldError(index, field, "detail").pointer());
    }
}
