package org.libertyevents.aggregator.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EventCursor: encoded sequences decode back, and any cursor this service did not issue is a 400. */
class EventCursorTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, 1_000_000_007L, Long.MAX_VALUE})
    void decodeReturnsTheEncodedSequence(long seq) {
        assertEquals(seq, EventCursor.decode(EventCursor.encode(seq)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 7, 255, 65_535, Long.MAX_VALUE})
    void encodedCursorIsUrlSafeWithoutPadding(long seq) {
        assertTrue(EventCursor.encode(seq).matches("[A-Za-z0-9_-]+"), EventCursor.encode(seq));
    }

    @Test
    void encodeIsOpaqueButVersioned() {
        String text = new String(Base64.getUrlDecoder().decode(EventCursor.encode(5)), StandardCharsets.US_ASCII);

        assertEquals("v1:5", text);
    }

    static Stream<String> forgedCursors() {
        return Stream.of(
                "zzz",
                "",
                base64("v2:5"),
                base64("v1:-1"),
                base64("v1:abc"),
                base64("v1:"),
                base64("v1:5.0"),
                base64("v1:99999999999999999999"),
                base64("5"),
                base64("V1:5"),
                "v1:5",
                "djE6NQ==!",
                Base64.getEncoder().encodeToString("v1:1234>".getBytes(StandardCharsets.US_ASCII)) + "+/");
    }

    @ParameterizedTest
    @MethodSource("forgedCursors")
    void forgedCursorIs400(String cursor) {
        ProblemException thrown = assertThrows(ProblemException.class, () -> EventCursor.decode(cursor));

        Problem problem = thrown.problem();
        assertEquals(400, problem.status());
        assertEquals("invalid-parameter", problem.slug());
        assertEquals(List.of(new FieldError(null, "after", "is not a cursor returned by this service")),
                problem.errors());
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
