package org.libertyevents.aggregator.intake;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The streaming reader against the rules as they apply to a parsed object ({@link EventFieldRules#canonicalPayload}),
 * on random payloads: unordered and repeated names, nesting past the depth limit, escapes, NUL, lone surrogates and
 * numbers in every spelling.
 */
class CanonicalPayloadReaderTest {

    private static final int MAX_BYTES = 2_000;
    private static final int MAX_DEPTH = 4;
    private static final AtomicLong SEEDS = new AtomicLong(20261203);

    @RepeatedTest(20)
    void readsWhatTheParsedObjectRulesSayOnRandomPayloads() {
        long seed = SEEDS.getAndIncrement();
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            String text = new Generator(random).object(1);
            assertEquals(expected(text), streamed(text), () -> "seed " + seed + ", payload " + text);
        }
    }

    @Test
    void leavesTheParserRightAfterThePayload() {
        try (JsonParser parser = Json.createParser(new StringReader("[{\"b\":[1,{\"z\":2,\"y\":3}],\"a\":1.50},7]"))) {
            parser.next();
            parser.next();
            assertEquals("{\"a\":1.5,\"b\":[1,{\"y\":3,\"z\":2}]}", CanonicalPayloadReader.read(parser, MAX_BYTES, 8));
            assertEquals(JsonParser.Event.VALUE_NUMBER, parser.next());
            assertEquals(7, parser.getInt());
        }
    }

    @Test
    void keepsTheLastOfARepeatedNameAndChecksOnlyWhatItKeeps() {
        assertEquals("{\"a\":2,\"b\":1}", streamed("{\"b\":1,\"a\":\"\\u0000\",\"a\":2}"));
        assertEquals("{\"a\":1}", streamed("{\"a\":[2],\"a\":1}", 1));
        assertEquals("refused: " + EventFieldRules.depthRule(1), streamed("{\"a\":1,\"a\":[2]}", 1));
    }

    @Test
    void refusesAnExponentNoDecimalHolds() {
        assertEquals("refused: " + EventFieldRules.numberRule(), streamed("{\"n\":1e99999999999}"));
    }

    @Test
    void reportsNestingPastTheParsersOwnLimitAsTooDeep() {
        String deep = "{\"a\":" + "[".repeat(1_200) + "]".repeat(1_200) + "}";
        try (JsonParser parser = Json.createParser(new StringReader(deep))) {
            parser.next();
            assertThrows(CanonicalPayloadReader.PayloadUnreadable.class,
                    () -> CanonicalPayloadReader.read(parser, 100_000, 2_000));
        }
    }

    private static String streamed(String text) {
        return streamed(text, MAX_DEPTH);
    }

    private static String streamed(String text, int maxDepth) {
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            parser.next();
            String canonical = CanonicalPayloadReader.read(parser, MAX_BYTES, maxDepth);
            assertEquals(false, parser.hasNext(), "the whole payload is read");
            return canonical;
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static String expected(String text) {
        JsonObject parsed;
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            parser.next();
            parsed = parser.getObject();
        }
        try {
            return EventFieldRules.canonicalPayload(parsed, MAX_BYTES, MAX_DEPTH);
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    /** Random JSON objects, nested up to two levels past {@link #MAX_DEPTH}. */
    private record Generator(Random random) {

        private static final String[] NAMES = {"a", "b", "B", "ab", "é", "\\u00e9", "z", "\\ud83d\\ude00", "\\u0000",
            "\\ud800", "A1", ""};
        private static final String[] NUMBERS = {"0", "-0", "7", "-42", "1.0", "1.50", "1e2", "1E-3", "-0.0",
            "123456789012345678", "1234567890123456789012", "0.000001", "2.5e+30", "1e131073", "1e-16384"};
        private static final String[] STRINGS = {"", "x", "line\\nbreak", "quote\\\"", "back\\\\slash", "\\t\\b\\f\\r",
            "\\u0001", "\\u001f", "\\u0000", "\\ud800", "\\udc00x", "\\ud83d\\ude00", "é", "\\/", "日本"};

        String object(int depth) {
            StringBuilder out = new StringBuilder("{");
            int members = random.nextInt(5);
            for (int i = 0; i < members; i++) {
                if (i > 0) {
                    out.append(random.nextInt(4) == 0 ? " , " : ",");
                }
                out.append('"').append(NAMES[random.nextInt(NAMES.length)]).append("\":").append(value(depth + 1));
            }
            return out.append('}').toString();
        }

        private String value(int depth) {
            int kind = random.nextInt(depth > MAX_DEPTH + 2 ? 5 : 7);
            return switch (kind) {
                case 0 -> NUMBERS[random.nextInt(NUMBERS.length)];
                case 1 -> '"' + STRINGS[random.nextInt(STRINGS.length)] + '"';
                case 2 -> random.nextBoolean() ? "true" : "false";
                case 3 -> "null";
                case 4 -> "\"" + "w".repeat(random.nextInt(3) == 0 ? 700 : 3) + "\"";
                case 5 -> object(depth);
                default -> array(depth);
            };
        }

        private String array(int depth) {
            StringBuilder out = new StringBuilder("[");
            int items = random.nextInt(4);
            for (int i = 0; i < items; i++) {
                out.append(i > 0 ? "," : "").append(value(depth + 1));
            }
            return out.append(']').toString();
        }
    }
}
