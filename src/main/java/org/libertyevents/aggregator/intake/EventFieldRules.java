package org.libertyevents.aggregator.intake;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * The rules each event field must follow. A method returns {@code null} when the value is acceptable and
 * otherwise the reason it is not, phrased to follow the field name ("must not be blank").
 */
public final class EventFieldRules {

    /** PostgreSQL's timestamptz reaches beyond these, but ISO 8601 without extensions does not. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** java.time reads "10:15:30.Z" as a zero fraction; ISO 8601 and RFC 3339 want a digit after the point. */
    private static final Pattern POINT_WITHOUT_DIGITS = Pattern.compile("\\.(?![0-9])");

    /** PostgreSQL's numeric type, which jsonb numbers are, holds no more digits than these. */
    private static final int MAX_INTEGER_DIGITS = 131_072;
    private static final int MAX_FRACTION_DIGITS = 16_383;

    private EventFieldRules() {
    }

    /**
     * The rules for a text field (topic, event_id, source, and filters on them): not blank, at most
     * {@code maxLength} code points, no control characters, valid Unicode.
     */
    public static String checkText(String value, int maxLength) {
        // One pass over the text for all four rules (it runs for three fields of every event); the first rule
        // broken, in this order, is the one reported.
        boolean blank = true;
        boolean control = false;
        boolean loneSurrogate = false;
        int codePoints = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            codePoints++;
            if (Character.isSurrogate(c)) {
                blank = false;
                if (Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    loneSurrogate = true;
                }
                continue;
            }
            control |= Character.isISOControl(c);
            blank &= Character.isWhitespace(c);
        }
        if (blank) {
            return "must not be blank";
        }
        if (codePoints > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        if (control) {
            return "must not contain control characters";
        }
        return loneSurrogate ? "must be valid Unicode text" : null;
    }

    /** Parses an ISO 8601 date-time that names its offset; the instant is kept to the microsecond. */
    static Instant parseTimestamp(String value) {
        // The common shape first: it has a digit after any point, so only the full parse needs that checked.
        Instant instant = CommonTimestamps.parse(value);
        if (instant == null) {
            if (POINT_WITHOUT_DIGITS.matcher(value).find()) {
                return null;
            }
            try {
                instant = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        instant = instant.truncatedTo(ChronoUnit.MICROS);
        return instant.isBefore(EARLIEST) || instant.isAfter(LATEST) ? null : instant;
    }

    static String timestampRule() {
        return "must be an ISO 8601 date-time with a zone offset or Z between years 0001 and 9999, "
                + "such as 2026-11-21T10:15:30Z";
    }

    /**
     * Checks a payload object and returns its {@link CanonicalJson canonical} text, or throws
     * {@link IllegalArgumentException} with the reason it is refused.
     */
    static String canonicalPayload(JsonObject payload, int maxBytes, int maxDepth) {
        String problem = checkValue(payload, 1, maxDepth);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return requireSize(CanonicalJson.write(payload), maxBytes);
    }

    /** The canonical text of a payload, if its UTF-8 encoding fits {@code maxBytes}; else the reason. */
    static String requireSize(String json, int maxBytes) {
        // Cheap bound first: a UTF-8 encoding is at most three bytes per UTF-16 unit.
        if (json.length() > maxBytes / 3 && json.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw new IllegalArgumentException("must be at most " + maxBytes + " bytes as JSON");
        }
        return json;
    }

    static String depthRule(int maxDepth) {
        return "must not nest objects and arrays more than " + maxDepth + " levels deep";
    }

    private static String checkValue(JsonValue value, int depth, int maxDepth) {
        switch (value.getValueType()) {
            case OBJECT -> {
                if (depth > maxDepth) {
                    return depthRule(maxDepth);
                }
                for (var member : ((JsonObject) value).entrySet()) {
                    String problem = checkString(member.getKey());
                    if (problem == null) {
                        problem = checkValue(member.getValue(), depth + 1, maxDepth);
                    }
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            case ARRAY -> {
                if (depth > maxDepth) {
                    return depthRule(maxDepth);
                }
                for (JsonValue item : (JsonArray) value) {
                    String problem = checkValue(item, depth + 1, maxDepth);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            case STRING -> {
                return checkString(((JsonString) value).getString());
            }
            case NUMBER -> {
                return checkNumber(((JsonNumber) value).bigDecimalValue());
            }
            default -> {
                return null;
            }
        }
        return null;
    }

    /**
     * Valid JSON numbers such as {@code 1e999999} lie outside PostgreSQL's numeric type, which would refuse the
     * whole transaction; they are refused up front instead.
     */
    static String checkNumber(JsonNumber number) {
        try {
            return checkNumber(number.bigDecimalValue());
        } catch (NumberFormatException e) {
            return numberRule();
        }
    }

    static String checkNumber(BigDecimal value) {
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        long integerDigits = (long) stripped.precision() - stripped.scale();
        return integerDigits > MAX_INTEGER_DIGITS || stripped.scale() > MAX_FRACTION_DIGITS ? numberRule() : null;
    }

    static String numberRule() {
        return "must hold only numbers with at most " + MAX_INTEGER_DIGITS + " digits before the decimal point and "
                + MAX_FRACTION_DIGITS + " after it";
    }

    /** NUL and unpaired surrogates cannot be stored as JSON text by PostgreSQL, so they are refused up front. */
    static String checkString(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (\\u0000) in any string";
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= value.length()
                        || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return "must contain only valid Unicode text (no unpaired surrogates)";
                }
                i++;
            }
        }
        return null;
    }
}
