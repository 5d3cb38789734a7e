package org.libertyevents.aggregator.intake;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanonicalJsonTest {

    private static String canonical(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            JsonValue value = reader.readValue();
            return CanonicalJson.write(value);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{ \"b\" : 1, \"a\" : 2 }                | {\"a\":2,\"b\":1}",
        "{\"a\":{\"d\":[3,{\"f\":1,\"e\":2}],\"c\":null}} | {\"a\":{\"c\":null,\"d\":[3,{\"e\":2,\"f\":1}]}}",
        "{\"n\":[1.0, 1e2, -0.50, 0.0, -0, 1E-7, 12345678901234567890123]} | {\"n\":[1,100,-0.5,0,0,1E-7,12345678901234567890123]}",
        "{\"s\":\"tab\\tquote\\\" slash\\\\ \\u0001 \u00e9\"} | {\"s\":\"tab\\tquote\\\" slash\\\\ \\u0001 \u00e9\"}",
        "{\"B\":1,\"a\":2,\"\u00e9\":3,\"_\":4}    | {\"B\":1,\"_\":4,\"a\":2,\"\u00e9\":3}",
        "{\"t\":true,\"f\":false}               | {\"f\":false,\"t\":true}"})
    void writesOneTextPerValue(String json, String expected) {
        assertEquals(expected, canonical(json));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":1,\"b\":[1,2]}   | { \"b\" : [ 1 , 2.0 ] , \"a\" : 1.00 }",
        "{\"x\":\"\\u0041\"}     | {\"x\":\"A\"}"})
    void equalMeaningGivesEqualText(String one, String other) {
        assertEquals(canonical(one), canonical(other));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":[1,2]}   | {\"a\":[2,1]}",
        "{\"a\":1}       | {\"a\":\"1\"}",
        "{\"a\":null}    | {}"})
    void differentMeaningGivesDifferentText(String one, String other) {
        assertNotEquals(canonical(one), canonical(other));
    }

    /** The shortcut for integers the parser already spells canonically must write what the general rule writes. */
    @Test
    void integersTakeTheShortcutOnlyWhereItChangesNothing() {
        Random random = new Random(20261203);
        String[] shapes = {"%d", "-%d", "0%d", "-0%d", "%d.0", "%de2", "%dE-3", "%d00000000000000000000"};
        int shortcuts = 0;
        for (int i = 0; i < 5_000; i++) {
            long magnitude = random.nextInt(4) == 0 ? random.nextLong() >>> random.nextInt(64) : random.nextInt(1000);
            String json = "[" + String.format(shapes[random.nextInt(shapes.length)], magnitude) + "]";
            String canonical;
            try {
                canonical = canonical(json);
            } catch (jakarta.json.JsonException notJson) {
                continue;  // a leading zero: not JSON at all
            }
            String text = json.substring(1, json.length() - 1);
            String expected = "[" + CanonicalJson.number(new BigDecimal(text)) + "]";
            assertEquals(expected, canonical, json);
            shortcuts += CanonicalJson.isCanonicalInteger(text) ? 1 : 0;
        }
        assertTrue(shortcuts > 250, "only " + shortcuts + " numbers took the shortcut");
    }
}
