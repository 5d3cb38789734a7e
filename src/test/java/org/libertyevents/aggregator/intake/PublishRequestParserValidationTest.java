package org.libertyevents.aggregator.intake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.event.Event;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;
import static org.libertyevents.aggregator.intake.PublishBodies.array;
import static org.libertyevents.aggregator.intake.PublishBodies.eventWith;
import static org.libertyevents.aggregator.intake.PublishBodies.eventWithout;
import static org.libertyevents.aggregator.intake.PublishBodies.members;
import static org.libertyevents.aggregator.intake.PublishBodies.object;
import static org.libertyevents.aggregator.intake.PublishBodies.parse;
import static org.libertyevents.aggregator.intake.PublishBodies.problem;
import static org.libertyevents.aggregator.intake.PublishBodies.quoted;
import static org.libertyevents.aggregator.intake.PublishBodies.validEvent;

/** PublishRequestParser field by field: each rule's 422 names the batch index and field, and boundary values pass. */
class PublishRequestParserValidationTest {

    private static final String EMOJI = "\uD83D\uDE00";
    private static final String NOT_STRING = "must be a string";
    private static final String BLANK = "must not be blank";
    private static final String TOO_LONG = "must be at most 255 characters";
    private static final String CONTROL = "must not contain control characters";
    private static final String NOT_UNICODE = "must be valid Unicode text";
    private static final String TIMESTAMP = "must be an ISO 8601 date-time with a zone offset or Z between years 0001 "
            + "and 9999, such as 2026-11-21T10:15:30Z";
    private static final String NOT_OBJECT = "must be a JSON object";
    private static final String TOO_DEEP = "must not nest objects and arrays more than 3 levels deep";
    private static final String TOO_BIG = "must be at most 64 bytes as JSON";
    private static final String NUL = "must not contain the NUL character (\\u0000) in any string";
    private static final String NUMBER_RANGE = "must hold only numbers with at most 131072 digits before the decimal "
            + "point and 16383 after it";
    private static final String SURROGATE = "must contain only valid Unicode text (no unpaired surrogates)";

    /** Field, raw JSON value, expected detail. JSON escapes are written as {@code \\u0000} so JSON decodes them. */
    static Stream<Arguments> invalidValues() {
        return Stream.of(
                argumentSet("number as topic", "topic", "42", NOT_STRING),
                argumentSet("boolean as topic", "topic", "true", NOT_STRING),
                argumentSet("null as topic", "topic", "null", NOT_STRING),
                argumentSet("object as topic", "topic", "{\"name\":{\"x\":[1,{\"y\":2}]}}", NOT_STRING),
                argumentSet("array as topic", "topic", "[\"orders\",[1]]", NOT_STRING),
                argumentSet("number as event_id", "event_id", "7", NOT_STRING),
                argumentSet("null as source", "source", "null", NOT_STRING),

                argumentSet("empty topic", "topic", quoted(""), BLANK),
                argumentSet("spaces as topic", "topic", quoted("   "), BLANK),
                argumentSet("whitespace escapes as event_id", "event_id", quoted(" \\t\\n "), BLANK),
                argumentSet("blank source", "source", quoted(" "), BLANK),

                argumentSet("256 ASCII characters", "topic", quoted("x".repeat(256)), TOO_LONG),
                argumentSet("256 emoji", "event_id", quoted(EMOJI.repeat(256)), TOO_LONG),
                argumentSet("256 two-byte characters", "source", quoted("\u00e9".repeat(256)), TOO_LONG),

                argumentSet("NUL in topic", "topic", quoted("a\\u0000"), CONTROL),
                argumentSet("newline in topic", "topic", quoted("a\\nb"), CONTROL),
                argumentSet("tab in topic", "topic", quoted("a\\tb"), CONTROL),
                argumentSet("unit separator in event_id", "event_id", quoted("id\\u001f"), CONTROL),
                argumentSet("DEL in source", "source", quoted("s\\u007f"), CONTROL),
                argumentSet("C1 control in topic", "topic", quoted("\\u0085x"), CONTROL),

                argumentSet("lone high surrogate in topic", "topic", quoted("\\ud800"), NOT_UNICODE),
                argumentSet("lone low surrogate in topic", "topic", quoted("x\\udc00"), NOT_UNICODE),
                argumentSet("reversed pair in event_id", "event_id", quoted("\\udc00\\ud800"), NOT_UNICODE),
                argumentSet("high surrogate at end of source", "source", quoted("s\\ud83d"), NOT_UNICODE),

                argumentSet("zone-less timestamp", "timestamp", quoted("2026-01-01T00:00:00"), TIMESTAMP),
                argumentSet("date only", "timestamp", quoted("2026-01-01"), TIMESTAMP),
                argumentSet("space instead of T", "timestamp", quoted("2026-01-01 00:00:00Z"), TIMESTAMP),
                argumentSet("numeric timestamp", "timestamp", "1767225600", TIMESTAMP),
                argumentSet("epoch seconds as string", "timestamp", quoted("1767225600"), TIMESTAMP),
                argumentSet("object timestamp", "timestamp", "{\"epoch\":[1]}", TIMESTAMP),
                argumentSet("null timestamp", "timestamp", "null", TIMESTAMP),
                argumentSet("empty timestamp", "timestamp", quoted(""), TIMESTAMP),
                argumentSet("year 10000", "timestamp", quoted("+10000-01-01T00:00:00Z"), TIMESTAMP),
                argumentSet("year 9999 local, 10000 UTC", "timestamp", quoted("9999-12-31T23:59:59-01:00"), TIMESTAMP),
                argumentSet("year 0000", "timestamp", quoted("0000-12-31T23:59:59Z"), TIMESTAMP),
                argumentSet("30 February", "timestamp", quoted("2026-02-30T00:00:00Z"), TIMESTAMP),
                argumentSet("fraction point without digits", "timestamp", quoted("2026-01-01T00:00:00.Z"), TIMESTAMP),
                argumentSet("hour 24", "timestamp", quoted("2026-01-01T24:00:00Z"), TIMESTAMP),
                argumentSet("offset beyond 18 hours", "timestamp", quoted("2026-01-01T00:00:00+19:00"), TIMESTAMP),

                argumentSet("string as payload", "payload", quoted("{}"), NOT_OBJECT),
                argumentSet("array as payload", "payload", "[1,[2,{\"a\":3}]]", NOT_OBJECT),
                argumentSet("null as payload", "payload", "null", NOT_OBJECT),
                argumentSet("number as payload", "payload", "5", NOT_OBJECT),

                argumentSet("payload objects 4 deep", "payload", "{\"a\":{\"b\":{\"c\":{}}}}", TOO_DEEP),
                argumentSet("payload arrays 4 deep", "payload", "{\"a\":[[[1]]]}", TOO_DEEP),
                argumentSet("empty array at depth 4", "payload", "{\"a\":{\"b\":{\"c\":[]}}}", TOO_DEEP),
                argumentSet("mixed nesting 4 deep", "payload", "{\"a\":[{\"b\":[]}]}", TOO_DEEP),

                argumentSet("NUL in payload value", "payload", "{\"a\":\"x\\u0000\"}", NUL),
                argumentSet("NUL in payload key", "payload", "{\"a\\u0000\":1}", NUL),
                argumentSet("NUL in nested payload string", "payload", "{\"a\":[\"ok\",{\"b\":\"\\u0000\"}]}", NUL),
                argumentSet("lone surrogate in payload value", "payload", "{\"a\":\"\\ud800\"}", SURROGATE),
                argumentSet("lone surrogate in payload key", "payload", "{\"\\udc00\":1}", SURROGATE),
                argumentSet("reversed pair in payload array", "payload", "{\"a\":[\"\\udc00\\ud800\"]}", SURROGATE),

                argumentSet("number above PostgreSQL's numeric range", "payload", "{\"a\":1e999999}", NUMBER_RANGE),
                argumentSet("number below its precision", "payload", "{\"a\":-1E-16384}", NUMBER_RANGE),
                argumentSet("exponent beyond 32 bits", "payload", "{\"a\":1e9999999999}", NUMBER_RANGE),

                argumentSet("payload 65 bytes", "payload", "{\"k\":\"" + "x".repeat(57) + "\"}", TOO_BIG),
                argumentSet("payload 66 bytes in 37 chars", "payload", "{\"k\":\"" + "\u00e9".repeat(29) + "\"}",
                        TOO_BIG),
                argumentSet("payload 68 bytes of emoji", "payload", "{\"k\":\"" + EMOJI.repeat(15) + "\"}", TOO_BIG));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void invalidFieldIs422AtItsBatchIndexAndField(String field, String rawValue, String detail) {
        InvalidRequest problem = problem(
                array(validEvent("a"), validEvent("b"), eventWith(field, rawValue), validEvent("c")));

        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, problem.kind());
        assertEquals(List.of(new FieldError(2, field, detail)), problem.errors());
        assertEquals(0, problem.omitted());
        assertEquals("event 2: " + field + " " + detail, problem.detail());
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void invalidFieldOfASingleEventHasNoIndex(String field, String rawValue, String detail) {
        InvalidRequest problem = problem(eventWith(field, rawValue));


        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, problem.kind());
        assertEquals(List.of(new FieldError(null, field, detail)), problem.errors());
        assertEquals(field + " " + detail, problem.detail());
    }

    /** Field, raw JSON value, and the value the event must then carry (its text, instant or payload JSON). */
    static Stream<Arguments> boundaryValues() {
        return Stream.of(
                argumentSet("255 ASCII characters", "topic", quoted("x".repeat(255)), "x".repeat(255)),
                argumentSet("255 emoji (510 UTF-16 units)", "topic", quoted(EMOJI.repeat(255)), EMOJI.repeat(255)),
                argumentSet("255 escaped surrogate pairs", "event_id", quoted("\\ud83d\\ude00".repeat(255)),
                        EMOJI.repeat(255)),
                argumentSet("255 two-byte characters", "source", quoted("\u00e9".repeat(255)), "\u00e9".repeat(255)),
                argumentSet("inner spaces and punctuation", "topic", quoted(" orders / eu~1 "), " orders / eu~1 "),

                argumentSet("earliest instant", "timestamp", quoted("0001-01-01T00:00:00Z"),
                        Instant.parse("0001-01-01T00:00:00Z")),
                argumentSet("latest instant", "timestamp", quoted("9999-12-31T23:59:59.999999Z"),
                        Instant.parse("9999-12-31T23:59:59.999999Z")),
                argumentSet("negative offset", "timestamp", quoted("2026-01-01T00:00:00-05:30"),
                        Instant.parse("2026-01-01T05:30:00Z")),
                argumentSet("+00:00 with one fraction digit", "timestamp", quoted("2026-01-01T00:00:00.5+00:00"),
                        Instant.parse("2026-01-01T00:00:00.500Z")),
                argumentSet("nanoseconds truncated", "timestamp", quoted("2026-01-01T00:00:00.000000999Z"),
                        Instant.parse("2026-01-01T00:00:00Z")),

                argumentSet("empty payload", "payload", "{}", "{}"),
                argumentSet("objects exactly 3 deep", "payload", "{\"a\":{\"b\":{\"c\":1}}}", "{\"a\":{\"b\":{\"c\":1}}}"),
                argumentSet("arrays exactly 3 deep", "payload", "{\"a\":[[1]]}", "{\"a\":[[1]]}"),
                argumentSet("empty array at depth 3", "payload", "{\"a\":{\"b\":[]}}", "{\"a\":{\"b\":[]}}"),
                argumentSet("payload of exactly 64 bytes", "payload", "{\"k\":\"" + "x".repeat(56) + "\"}",
                        "{\"k\":\"" + "x".repeat(56) + "\"}"),
                argumentSet("64 bytes of two-byte characters", "payload", "{\"k\":\"" + "\u00e9".repeat(28) + "\"}",
                        "{\"k\":\"" + "\u00e9".repeat(28) + "\"}"),
                argumentSet("64 bytes of emoji", "payload", "{\"k\":\"" + EMOJI.repeat(14) + "\"}",
                        "{\"k\":\"" + EMOJI.repeat(14) + "\"}"),
                argumentSet("over 64 bytes only before compaction", "payload",
                        "{  \"k\"  :  \"" + "x".repeat(50) + "\"  }", "{\"k\":\"" + "x".repeat(50) + "\"}"),
                argumentSet("payload with surrogate pair and newline", "payload", "{\"a\":\"\\ud83d\\ude00\\n\"}",
                        "{\"a\":\"" + EMOJI + "\\n\"}"));
    }

    @ParameterizedTest
    @MethodSource("boundaryValues")
    void boundaryValueIsAccepted(String field, String rawValue, Object expected) {
        Event event = parse(array(validEvent("a"), eventWith(field, rawValue))).get(1);

        Object actual = switch (field) {
            case "topic" -> event.topic();
            case "event_id" -> event.eventId();
            case "source" -> event.source();
            case "timestamp" -> event.timestamp();
            default -> event.payload();
        };
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic", "event_id", "timestamp", "source", "payload"})
    void missingFieldIsRequired(String field) {
        InvalidRequest single = problem(eventWithout(field));
        InvalidRequest batch = problem(array(validEvent("a"), eventWithout(field)));

        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, single.kind());
        assertEquals(List.of(new FieldError(null, field, "is required")), single.errors());
        assertEquals(List.of(new FieldError(1, field, "is required")), batch.errors());
    }

    @Test
    void emptyObjectMissesEveryFieldInFieldOrder() {
        InvalidRequest problem = problem("{}");


        assertEquals(List.of(
                new FieldError(null, "topic", "is required"),
                new FieldError(null, "event_id", "is required"),
                new FieldError(null, "timestamp", "is required"),
                new FieldError(null, "source", "is required"),
                new FieldError(null, "payload", "is required")), problem.errors());
        assertEquals("5 problems were found; nothing of this request was stored", problem.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic", "event_id", "timestamp", "source", "payload"})
    void fieldGivenTwiceAppearsMoreThanOnce(String field) {
        String body = duplicate(members("e-1"), field);

        InvalidRequest problem = problem(array(validEvent("a"), validEvent("b"), validEvent("c"), body));


        assertEquals(List.of(new FieldError(3, field, "appears more than once")), problem.errors());
    }

    @Test
    void duplicateIsReportedEvenWhenTheFirstValueWasInvalid() {
        String body = "{\"topic\":5,\"topic\":\"orders\",\"event_id\":\"e\",\"timestamp\":\"2026-01-01T00:00:00Z\","
                + "\"source\":\"s\",\"payload\":{}}";

        assertEquals(List.of(new FieldError(null, "topic", "must be a string"),
                new FieldError(null, "topic", "appears more than once")), problem(body).errors());
    }

    @Test
    void everyErrorOfEveryEventIsReportedInDocumentOrder() {
        String second = "{\"topic\":\"\",\"event_id\":5,\"timestamp\":\"2026-01-01T00:00:00Z\",\"source\":\"s\","
                + "\"payload\":[]}";

        InvalidRequest problem = problem(array(validEvent("a"), second, validEvent("c"), eventWithout("source")));


        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, problem.kind());
        assertEquals(List.of(
                new FieldError(1, "topic", BLANK),
                new FieldError(1, "event_id", NOT_STRING),
                new FieldError(1, "payload", NOT_OBJECT),
                new FieldError(3, "source", "is required")), problem.errors());
        assertEquals("4 problems were found; nothing of this request was stored", problem.detail());
    }

    @Test
    void errorsBeyondMaxReportedErrorsAreCountedAsOmitted() {
        PublishLimits limits = new PublishLimits(16_384, 5, 64, 3, 255, 3);

        InvalidRequest problem = problem(limits, "[{},{}]");


        assertEquals(InvalidRequest.Kind.INVALID_EVENTS, problem.kind());
        assertEquals(List.of(
                new FieldError(0, "topic", "is required"),
                new FieldError(0, "event_id", "is required"),
                new FieldError(0, "timestamp", "is required")), problem.errors());
        assertEquals(7, problem.omitted());
        assertEquals("10 problems were found; nothing of this request was stored", problem.detail());
    }

    @Test
    void errorsExactlyAtMaxReportedErrorsOmitNothing() {
        PublishLimits limits = new PublishLimits(16_384, 5, 64, 3, 255, 5);

        InvalidRequest problem = problem(limits, "{}");


        assertEquals(5, problem.errors().size());
        assertEquals(0, problem.omitted());
    }

    @Test
    void eventWhoseOnlyErrorsWereOmittedIsStillRefused() {
        PublishLimits limits = new PublishLimits(16_384, 5, 64, 3, 255, 1);

        InvalidRequest problem = problem(
                limits, array(eventWith("topic", "1"), eventWith("source", "2"), validEvent("c")));

        assertEquals(List.of(new FieldError(0, "topic", NOT_STRING)), problem.errors());
        assertEquals(1, problem.omitted());
        assertEquals("2 problems were found; nothing of this request was stored", problem.detail());
    }

    /** The valid event with {@code field} written a second time, with the same value, at the end. */
    private static String duplicate(Map<String, String> members, String field) {
        String body = object(members);
        return body.substring(0, body.length() - 1) + "," + quoted(field) + ":" + members.get(field) + "}";
    }
}
