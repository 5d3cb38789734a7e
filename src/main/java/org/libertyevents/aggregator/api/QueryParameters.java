package org.libertyevents.aggregator.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Query parameters shared by the read resources, refused with 400 problem+json when out of range. */
final class QueryParameters {

    /** {@code 30}, {@code 30s} or {@code 250ms}; ISO 8601 ({@code PT30S}) is read apart. */
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})(ms|s)?");

    private QueryParameters() {
    }

    /** A whole number from 1 to {@code max}, or {@code defaultValue} when the parameter is absent or empty. */
    static int count(String name, String value, int defaultValue, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProblemException(Problem.invalidParameter(name, "must be a whole number from 1 to " + max));
    }

    /**
     * A duration from zero to {@code max}, as seconds ({@code 30}), with a unit ({@code 30s}, {@code 250ms}) or in ISO
     * 8601 ({@code PT30S}); zero when the parameter is absent or empty.
     */
    static Duration duration(String name, String value, Duration max) {
        if (value == null || value.isEmpty()) {
            return Duration.ZERO;
        }
        Duration parsed = null;
        Matcher simple = SHORT_DURATION.matcher(value);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            parsed = "ms".equals(simple.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        } else if (value.startsWith("PT")) {
            try {
                parsed = Duration.parse(value);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        if (parsed == null || parsed.isNegative() || parsed.compareTo(max) > 0) {
            throw new ProblemException(Problem.invalidParameter(name, "must be a duration from 0 to "
                    + max.toSeconds() + " s, such as 30s, 500ms or PT30S"));
        }
        return parsed;
    }
}
