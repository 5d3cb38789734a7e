package org.libertyevents.aggregator.intake;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads the shape nearly every producer sends, {@code 2026-11-21T10:15:30[.fraction](Z|+hh:mm|-hh:mm)}, by hand:
 * {@code DateTimeFormatter} takes about a third of the CPU of parsing a small event. Whatever is not exactly that
 * shape, or is that shape with a field out of range, is left to the caller's full ISO 8601 parse, so this reader
 * accepts nothing that one refuses and reads what it accepts to the same instant.
 */
final class CommonTimestamps {

    private static final int DATE_TIME_LENGTH = "2026-11-21T10:15:30".length();
    private static final int MAX_FRACTION_DIGITS = 9;

    private CommonTimestamps() {
    }

    /** The instant {@code value} names, or null when it is not in the common shape or a field is out of range. */
    static Instant parse(String value) {
        int length = value.length();
        if (length < DATE_TIME_LENGTH + 1 || value.charAt(4) != '-' || value.charAt(7) != '-'
                || value.charAt(10) != 'T' || value.charAt(13) != ':' || value.charAt(16) != ':') {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 2);
        int day = digits(value, 8, 2);
        int hour = digits(value, 11, 2);
        int minute = digits(value, 14, 2);
        int second = digits(value, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int at = DATE_TIME_LENGTH;
        int nanos = 0;
        if (value.charAt(at) == '.') {
            int start = ++at;
            while (at < length && value.charAt(at) >= '0' && value.charAt(at) <= '9') {
                at++;
            }
            int count = at - start;
            if (count == 0 || count > MAX_FRACTION_DIGITS) {
                return null;
            }
            nanos = digits(value, start, count);
            for (int i = count; i < MAX_FRACTION_DIGITS; i++) {
                nanos *= 10;
            }
        }
        ZoneOffset offset = offset(value, at);
        if (offset == null) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException outOfRange) {
            return null;  // a 30 February or a 25th hour: the full parse refuses it in its own words
        }
    }

    /** {@code Z}, {@code +hh:mm} or {@code -hh:mm} ending the text at {@code at}; null for anything else. */
    private static ZoneOffset offset(String value, int at) {
        int rest = value.length() - at;
        if (rest == 1 && value.charAt(at) == 'Z') {
            return ZoneOffset.UTC;
        }
        char sign = rest == 6 ? value.charAt(at) : 0;
        if ((sign != '+' && sign != '-') || value.charAt(at + 3) != ':') {
            return null;
        }
        int hours = digits(value, at + 1, 2);
        int minutes = digits(value, at + 4, 2);
        if ((hours | minutes) < 0 || minutes > 59) {
            return null;
        }
        try {
            return sign == '+' ? ZoneOffset.ofHoursMinutes(hours, minutes)
                    : ZoneOffset.ofHoursMinutes(-hours, -minutes);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /** The ASCII digits {@code value[from, from + count)} as a number, or -1 if any is not one. */
    private static int digits(String value, int from, int count) {
        int number = 0;
        for (int i = from; i < from + count; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }
}
