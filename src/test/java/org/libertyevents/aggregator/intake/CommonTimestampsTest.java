package org.libertyevents.aggregator.intake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written reader must agree with java.time's ISO parse on everything it accepts. */
class CommonTimestampsTest {

    /** The oracle: java.time's own ISO 8601 parse, null where it refuses. */
    private static Instant iso(String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-21T10:15:30Z", "2026-11-21T10:15:30.1Z", "2026-11-21T10:15:30.123456789Z",
            "2024-02-29T23:59:59+05:30", "2026-01-01T00:00:00-00:00", "2026-01-01T00:00:00+18:00",
            "2026-01-01T00:00:00-18:00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"})
    void readsTheCommonShapeAsJavaTimeDoes(String value) {
        assertEquals(iso(value), CommonTimestamps.parse(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00+18:01",
            "2026-01-01T00:00:00+05:60", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z",
            "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z", "2026-01-01T00:00Z", "2026-01-01T00:00:00",
            "2026-01-01T00:00:00+05:30:15", "2026-01-01T00:00:00+0530", "+2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00٣Z", "2026-01-01 00:00:00Z", "２026-01-01T00:00:00Z", ""})
    void leavesEverythingElseToTheFullParse(String value) {
        assertNull(CommonTimestamps.parse(value));
    }

    /** Random texts near the common shape: wrong digits, fields out of range, other separators and offsets. */
    @Test
    void neverAcceptsWhatJavaTimeRefusesNorReadsItOtherwise() {
        Random random = new Random(20261203);
        String[] offsets = {"Z", "z", "+00:00", "-00:00", "+05:30", "-12:45", "+18:00", "-18:00", "+19:00", "+05:61",
                "+5:30", "+05", ""};
        String alphabet = "0123456789-:T.Zt+ ";
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d",
                    random.nextInt(10_000), random.nextInt(14), random.nextInt(33), random.nextInt(26),
                    random.nextInt(62), random.nextInt(62)));
            int fraction = random.nextInt(12) - 1;
            if (fraction >= 0) {
                text.append('.');
                for (int d = 0; d < fraction; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            text.append(offsets[random.nextInt(offsets.length)]);
            if (random.nextInt(4) == 0) {
                text.setCharAt(random.nextInt(text.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String value = text.toString();
            Instant fast = CommonTimestamps.parse(value);
            if (fast != null) {
                accepted++;
                assertEquals(iso(value), fast, value);
            }
        }
        assertTrue(accepted > 2_500, "the random texts exercised the reader only " + accepted + " times");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-21T10:15:30Z", "2026-11-21T10:15:30.100Z", "2026-11-21T10:15:30.000001Z",
            "2026-11-21T10:15:30.000000001Z", "2026-11-21T10:15:30.123456780Z", "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "2024-02-29T12:00:00.5Z"})
    void writesWhatInstantToStringWrites(String value) {
        Instant instant = Instant.parse(value);
        assertEquals(instant.toString(), CommonTimestamps.format(instant));
    }

    @Test
    void writesRandomInstantsAsInstantToStringDoesAndReadsThemBack() {
        Random random = new Random(20261204);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond() - 86_400;
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 86_400;
        for (int i = 0; i < 20_000; i++) {
            long seconds = first + (long) (random.nextDouble() * (last - first));
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String text = CommonTimestamps.format(instant);
            assertEquals(instant.toString(), text);
            if (text.length() > 4 && text.charAt(4) == '-') {
                assertEquals(instant, CommonTimestamps.parse(text), text);
            }
        }
    }
}
