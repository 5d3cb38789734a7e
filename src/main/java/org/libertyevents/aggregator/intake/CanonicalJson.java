package org.libertyevents.aggregator.intake;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One text per JSON value, whatever its spelling: no insignificant whitespace, object members sorted by name (in
 * UTF-16 code unit order, as RFC 8785 does), numbers written by value ({@code 1.0}, {@code 1} and {@code 1e0} are all
 * {@code 1}). Two payloads mean the same thing exactly when their canonical texts are equal, which is what
 * conflict detection compares. PostgreSQL's {@code jsonb} reorders members anyway, so storing this form loses
 * nothing a client could rely on.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    static String write(JsonValue value) {
        StringBuilder out = new StringBuilder(128);
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonValue>> members = new ArrayList<>(((JsonObject) value).entrySet());
                members.sort(Map.Entry.comparingByKey());
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendString(out, members.get(i).getKey());
                    out.append(':');
                    append(out, members.get(i).getValue());
                }
                out.append('}');
            }
            case ARRAY -> {
                JsonArray items = (JsonArray) value;
                out.append('[');
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    append(out, items.get(i));
                }
                out.append(']');
            }
            case STRING -> appendString(out, ((JsonString) value).getString());
            case NUMBER -> appendNumber(out, (JsonNumber) value);
            default -> out.append(value);
        }
    }

    /**
     * A number as {@link #number} writes it. The parser's text of a small integer already is that ({@code 42},
     * {@code -7}), and most payload numbers are such: they skip {@link BigDecimal#stripTrailingZeros}.
     */
    private static void appendNumber(StringBuilder out, JsonNumber value) {
        String text = value.toString();
        if (isCanonicalInteger(text)) {
            out.append(text);
        } else {
            out.append(number(value.bigDecimalValue()));
        }
    }

    /** {@code 0}, or up to 18 digits without a leading zero, after an optional minus ({@code -0} is not). */
    static boolean isCanonicalInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > 18 || (text.charAt(start) == '0' && (digits > 1 || start == 1))) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Integers in plain digits; other numbers without trailing zeros, in exponent form only when very large. */
    static String number(BigDecimal value) {
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        return stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 21
                ? stripped.toPlainString() : stripped.toString();
    }

    /**
     * Appends {@code text} as a JSON string, escaping only what JSON requires; the runs between escapes are copied
     * whole. The broker's entries write their text fields with it too.
     */
    public static StringBuilder appendString(StringBuilder out, String text) {
        out.append('"');
        int plain = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '"' && c != '\\' && c >= 0x20) {
                continue;
            }
            out.append(text, plain, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
            plain = i + 1;
        }
        return out.append(text, plain, text.length()).append('"');
    }
}
