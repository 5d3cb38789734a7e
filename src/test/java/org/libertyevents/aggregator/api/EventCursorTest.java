package org.libertyevents.aggregator.api;

import org.libertyevents.aggregator.intake.FieldError;
import org.libertyevents.aggregator.store.FeedPosition;
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

/** EventCursor: encoded positions decode back, first-scheme cursors still work, and any other cursor is a 400. */
class EventCursorTest {

    static Stream<FeedPosition> positions() {
        return Stream.of(FeedPosition.START, new FeedPosition(0, 42), new FeedPosition(758_000, 1_000_000_007L),
                new FeedPosition(Long.MAX_VALUE, 0), FeedPosition.END);
    }

    @ParameterizedTest
    @MethodSource("positions")
    void decodeReturnsTheEncodedPosition(FeedPosition position) {
        assertEquals(position, EventCursor.decode(EventCursor.encode(position)));
    }

    @ParameterizedTest
    @MethodSource("positions")
    void encodedCursorIsUrlSafeWithoutPadding(FeedPosition position) {
        assertTrue(EventCursor.encode(position).matches("[A-Za-z0-9_-]+"), EventCursor.encode(position));
    }

    @Test
    void encodeIsOpaqueButVersioned() {
        String text = new String(Base64.getUrlDecoder().decode(EventCursor.encode(new FeedPosition(9, 5))),
                StandardCharsets.US_ASCII);

        assertEquals("v2:9:5", text);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 5, Long.MAX_VALUE})
    void aCursorOfTheFirstSchemeIsAPositionAmongTheRowsStoredBeforeTransactionIds(long seq) {
        assertEquals(new FeedPosition(0, seq), EventCursor.decode(base64("v1:" + seq)));
    }

    static Stream<String> forgedCursors() {
        return Stream.of(
                "zzz",
                "",
                base64("v2:5"),
                base64("v2:5:"),
                base64("v2::5"),
                base64("v2:1:2:3"),
                base64("v2:-1:5"),
                base64("v2:1:-5"),
                base64("v3:1:5"),
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
