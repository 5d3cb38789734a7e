package org.libertyevents.aggregator.intake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.event.Event;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.libertyevents.aggregator.intake.PublishBodies.LIMITS;
import static org.libertyevents.aggregator.intake.PublishBodies.RECEIVED_AT;
import static org.libertyevents.aggregator.intake.PublishBodies.array;
import static org.libertyevents.aggregator.intake.PublishBodies.eventWith;
import static org.libertyevents.aggregator.intake.PublishBodies.expectedEvent;
import static org.libertyevents.aggregator.intake.PublishBodies.parse;
import static org.libertyevents.aggregator.intake.PublishBodies.problem;
import static org.libertyevents.aggregator.intake.PublishBodies.validEvent;

/** PublishRequestParser on whole requests: what it returns for good bodies, and 400/413/422 for bad shapes and sizes. */
class PublishRequestParserTest {

    private static final String BATCH_EMPTY = "the batch is empty: send at least one event";
    private static final String NOT_EVENT_OR_ARRAY = "the body must be an event object or an array of event objects";

    @Test
    void singleObjectBecomesOneEventWithEveryField() {
        String body = """
                {
                  "topic": "orders",
                  "event_id": "e-42",
                  "timestamp": "2026-03-01T14:00:00.123456789+02:00",
                  "source": "shop-eu",
                  "payload": { "amount" : 5, "items": [ "a", {"b": null} ], "ok": true }
                }
                """;

        List<Event> events = parse(body);

        assertEquals(List.of(new Event("orders", "e-42", Instant.parse("2026-03-01T12:00:00.123456Z"), "shop-eu",
                "{\"amount\":5,\"items\":[\"a\",{\"b\":null}],\"ok\":true}", RECEIVED_AT)), events);
    }

    @Test
    void offsetTimestampIsTheSameInstantAsItsUtcForm() {
        Event withOffset = parse(eventWith("timestamp", "\"2026-01-01T02:00:00+02:00\"")).get(0);
        Event inUtc = parse(eventWith("timestamp", "\"2026-01-01T00:00:00Z\"")).get(0);

        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), withOffset.timestamp());
        assertEquals(inUtc.timestamp(), withOffset.timestamp());
    }

    @Test
    void timestampIsTruncatedToMicroseconds() {
        Event event = parse(eventWith("timestamp", "\"2026-01-01T00:00:00.999999999Z\"")).get(0);

        assertEquals(Instant.parse("2026-01-01T00:00:00.999999Z"), event.timestamp());
    }

    @Test
    void payloadIsReturnedInCanonicalFormWithMembersSortedAndNumbersByValue() {
        Event event = parse(eventWith("payload",
                "{ \"z\" : [ 1.0 , 2.50, 1e2 ] ,\n \"a\" : { \"s\" : \"line1\\nline2\" } }")).get(0);

        assertEquals("{\"a\":{\"s\":\"line1\\nline2\"},\"z\":[1,2.5,100]}", event.payload());
    }

    @Test
    void batchKeepsTheOrderOfItsEvents() {
        List<Event> events = parse(array(validEvent("c"), validEvent("a"), validEvent("b")));

        assertEquals(List.of(expectedEvent("c"), expectedEvent("a"), expectedEvent("b")), events);
    }

    @Test
    void everyEventIsStampedWithTheReceivedInstant() {
        Instant receivedAt = Instant.parse("2030-01-02T03:04:05Z");
        byte[] body = array(validEvent("a"), validEvent("b")).getBytes(StandardCharsets.UTF_8);

        List<Event> events = new PublishRequestParser(LIMITS).parse(new ByteArrayInputStream(body), receivedAt);

        assertEquals(List.of(receivedAt, receivedAt), events.stream().map(Event::receivedAt).toList());
    }

    @Test
    void unknownMembersAreIgnoredWhateverTheirShape() {
        String body = "{\"extra\":{\"a\":{\"b\":[1,{\"c\":2}]},\"d\":[[]]},\"topic\":\"orders\",\"list\":[[1],[2,[3]]],"
                + "\"event_id\":\"e-1\",\"n\":null,\"timestamp\":\"2026-03-01T12:00:00Z\",\"source\":\"shop\","
                + "\"flag\":true,\"payload\":{\"amount\":5},\"extra\":\"again\"}";

        assertEquals(List.of(expectedEvent("e-1")), parse(body));
    }

    @Test
    void eventIdIsAcceptedWhenTheSameInTwoEventsOfABatch() {
        // deduplication is the store's job: the parser keeps both
        assertEquals(List.of(expectedEvent("same"), expectedEvent("same")),
                parse(array(validEvent("same"), validEvent("same"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{",
            "[",
            "{\"topic\"",
            "{\"topic\":",
            "{\"topic\":\"orders\"",
            "{\"topic\":\"ord",
            "[{}",
            "[{},",
            "{\"payload\":{\"a\":[1,",
            "{} {}",
            "[] []",
            "{}x",
            "[],",
            "{'topic':'orders'}",
            "{topic:\"orders\"}",
            "[1,]",
            "{\"a\":1,}",
            "{\"topic\":\"a\nb\"}",
            "{\"topic\":\"\\x41\"}",
            "nul",
            "",
            " \n\t "})
    void malformedTruncatedTrailingOrEmptyBodyIs400(String body) {
        InvalidRequest problem = problem(body);


        assertEquals(InvalidRequest.Kind.MALFORMED, problem.kind());
        assertEquals(List.of(), problem.errors());
    }

    @Test
    void trailingContentAfterAValidEventIs400EvenThoughTheEventIsValid() {
        InvalidRequest problem = problem(validEvent("a") + " " + validEvent("b"));


        assertEquals(InvalidRequest.Kind.MALFORMED, problem.kind());
    }

    static Stream<byte[]> invalidUtf8Bodies() {
        String before = "{\"topic\":\"";
        String after = "\",\"event_id\":\"e\"}";
        return Stream.of(
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xC3, 0x28},              // lead byte without continuation
                new byte[] {(byte) 0xC0, (byte) 0xAF},       // overlong encoding of '/'
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // UTF-8-encoded lone surrogate
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})
                .map(bad -> concat(before.getBytes(StandardCharsets.UTF_8), bad, after.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @MethodSource("invalidUtf8Bodies")
    void invalidUtf8Is400(byte[] body) {
        InvalidRequest problem = problem(LIMITS, body);


        assertEquals(InvalidRequest.Kind.MALFORMED, problem.kind());
        assertEquals("the request body is not valid UTF-8", problem.detail());
    }

    @Test
    void utf8CutInTheMiddleOfACharacterAtTheEndIs400() {
        byte[] body = concat("{\"topic\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE2, (byte) 0x82});

        InvalidRequest problem = problem(LIMITS, body);


        assertEquals(InvalidRequest.Kind.MALFORMED, problem.kind());
    }

    @Test
    void bodyOfExactlyMaxBodyBytesIsAccepted() {
        String body = validEvent("a");
        PublishLimits limits = withMaxBodyBytes(body.getBytes(StandardCharsets.UTF_8).length);

        assertEquals(List.of(expectedEvent("a")), parse(limits, body));
    }

    @Test
    void bodyOneByteOverMaxBodyBytesIs413() {
        String body = validEvent("a");
        PublishLimits limits = withMaxBodyBytes(body.getBytes(StandardCharsets.UTF_8).length - 1);

        InvalidRequest problem = problem(limits, body);


        assertEquals(InvalidRequest.Kind.TOO_LARGE, problem.kind());
    }

    @Test
    void bodyThatExceedsOnlyWhileStreamingTrailingWhitespaceIs413() {
        String event = validEvent("a");
        int eventBytes = event.getBytes(StandardCharsets.UTF_8).length;
        PublishLimits limits = withMaxBodyBytes(eventBytes + 10);
        byte[] body = (event + " ".repeat(1_000)).getBytes(StandardCharsets.UTF_8);
        var in = new TricklingInputStream(new ByteArrayInputStream(body), 7);

        InvalidRequest thrown = assertThrows(InvalidRequest.class,
                () -> new PublishRequestParser(limits).parse(in, RECEIVED_AT));

        assertEquals(InvalidRequest.Kind.TOO_LARGE, thrown.kind());
        assertTrue(in.delivered() > eventBytes, "the whole event was read before the limit was crossed");
    }

    @Test
    void endlessBodyStopsBeingReadSoonAfterTheLimit() {
        int maxBodyBytes = 1_000;
        var endless = new TricklingInputStream(new EndlessBatch(), 7);

        InvalidRequest thrown = assertThrows(InvalidRequest.class,
                () -> new PublishRequestParser(withMaxBodyBytes(maxBodyBytes)).parse(endless, RECEIVED_AT));

        assertEquals(InvalidRequest.Kind.TOO_LARGE, thrown.kind());
        assertEquals("the request body is larger than 1000 bytes", thrown.detail());
        assertTrue(endless.delivered() <= maxBodyBytes + 7, "read " + endless.delivered() + " bytes");
    }

    @Test
    void batchOfExactlyMaxBatchEventsIsAccepted() {
        String[] five = {validEvent("1"), validEvent("2"), validEvent("3"), validEvent("4"), validEvent("5")};

        assertEquals(5, parse(array(five)).size());
    }

    @Test
    void batchOverMaxBatchEventsIs413() {
        String[] six = {validEvent("1"), validEvent("2"), validEvent("3"), validEvent("4"), validEvent("5"),
                validEvent("6")};

        InvalidRequest problem = problem(array(six));


        assertEquals(InvalidRequest.Kind.TOO_LARGE, problem.kind());
        assertEquals("a batch holds at most 5 events", problem.detail());
    }

    @Test
    void batchOverMaxBatchEventsIs413EvenWhenItsEventsAreInvalid() {
        assertEquals(InvalidRequest.Kind.TOO_LARGE, problem("[{},{},{},{},{},{}]").kind());
    }

    @Test
    void emptyArrayIs422() {
        InvalidRequest problem = problem(" [ ] ");


        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, problem.kind());
        assertEquals(List.of(new FieldError(null, null, BATCH_EMPTY)), problem.errors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"event\"", "true", "null", "-1.5e3"})
    void scalarRootIs422(String body) {
        InvalidRequest problem = problem(body);


        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, problem.kind());
        assertEquals(List.of(new FieldError(null, null, NOT_EVENT_OR_ARRAY)), problem.errors());
        assertEquals(NOT_EVENT_OR_ARRAY, problem.detail());
    }

    @Test
    void batchElementThatIsNotAnObjectIsReportedAtItsIndex() {
        InvalidRequest problem = problem(
                array(validEvent("a"), "42", "[" + validEvent("b") + "]", "null", validEvent("c")));

        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, problem.kind());
        assertEquals(List.of(
                new FieldError(1, null, "must be an event object"),
                new FieldError(2, null, "must be an event object"),
                new FieldError(3, null, "must be an event object")), problem.errors());
        assertEquals("3 problems were found; nothing of this request was stored", problem.detail());
    }

    @Test
    void payloadNestedPastTheJsonLibrarysOwnLimitIsUnprocessableNotAServerError() {
        String deep = "{\"a\":" + "[".repeat(1200) + "]".repeat(1200) + "}";
        InvalidRequest problem = assertThrows(InvalidRequest.class,
                () -> parse(PublishBodies.eventWith("payload", deep)));
        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, problem.kind());
        assertEquals(List.of(new FieldError(null, "payload", "must not nest objects and arrays more than "
                + LIMITS.maxPayloadDepth() + " levels deep")), problem.errors());
    }

    @Test
    void timestampIsCheckedAgainstTheYearRangeAfterTruncationToMicroseconds() {
        String body = PublishBodies.eventWith("timestamp", PublishBodies.quoted("9999-12-31T23:59:59.9999999Z"));
        assertEquals(Instant.parse("9999-12-31T23:59:59.999999Z"), parse(body).get(0).timestamp());
    }

    private static PublishLimits withMaxBodyBytes(long maxBodyBytes) {
        return new PublishLimits(maxBodyBytes, LIMITS.maxBatchEvents(), LIMITS.maxPayloadBytes(),
                LIMITS.maxPayloadDepth(), LIMITS.maxFieldLength(), LIMITS.maxReportedErrors());
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Hands out at most {@code chunk} bytes per read, as a slow network would, and counts them. */
    private static final class TricklingInputStream extends InputStream {
        private final InputStream in;
        private final int chunk;
        private long delivered;

        TricklingInputStream(InputStream in, int chunk) {
            this.in = in;
            this.chunk = chunk;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                delivered++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, Math.min(length, chunk));
            if (n > 0) {
                delivered += n;
            }
            return n;
        }

        long delivered() {
            return delivered;
        }
    }

    /** {@code [} followed by whitespace for ever: valid JSON so far, so only the body limit can stop the parser. */
    private static final class EndlessBatch extends InputStream {
        private boolean started;

        @Override
        public int read() {
            if (!started) {
                started = true;
                return '[';
            }
            return ' ';
        }
    }
}
