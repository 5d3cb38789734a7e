package org.libertyevents.bench;

import java.nio.charset.StandardCharsets;

/**
 * The events of one scenario, a pure function of their position: every fifth event (positions 4, 9, 14, ...) is
 * a true duplicate, byte for byte, of an earlier original, so exactly 20% are duplicates and the unique count of
 * any prefix is known without a record of what was sent. Originals are reused at three distances, as producers
 * repeat them: right behind (often in the same request), a few requests back (often sent concurrently by another
 * client), and anywhere earlier.
 */
public final class EventSet {

    private static final int TOPICS = 4;

    private final String prefix;

    /** @param prefix topic and id prefix, unique per run and scenario, so scenarios never collide */
    public EventSet(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** Whether the event at this position repeats an earlier one. */
    public static boolean duplicate(long position) {
        return position % 5 == 4;
    }

    /** Distinct events among positions {@code [0, count)}. */
    public static long uniqueIn(long count) {
        return count - count / 5;
    }

    /** The position of the original whose key and content the event at this position carries. */
    public static long original(long position) {
        if (!duplicate(position)) {
            return position;
        }
        long mix = mix(position);
        long distance = switch ((int) (mix & 3)) {
            case 0 -> 1 + (mix >>> 8) % 8;
            case 1 -> 8 + (mix >>> 8) % 2_000;
            default -> 1 + (mix >>> 8) % position;
        };
        long candidate = position - Math.min(distance, position);
        // Duplicates repeat originals, never other duplicates; position 0 is an original.
        return duplicate(candidate) ? candidate - 1 : candidate;
    }

    public String topic(long original) {
        return prefix + "-t" + (original % TOPICS);
    }

    public String eventId(long original) {
        return prefix + "-" + original;
    }

    public String timestamp(long original) {
        return String.format("2026-11-21T10:%02d:%02d.%03dZ", (original / 60) % 60, original % 60, original % 1000);
    }

    public static String source() {
        return "bench";
    }

    public static String payload(long original) {
        return "{\"seq\":" + original + ",\"amount\":" + (original * 7919 % 100_000)
                + ",\"currency\":\"EUR\",\"note\":\"benchmark event with a payload of typical size\"}";
    }

    /** The JSON object of the event at this position. */
    public void appendEvent(StringBuilder json, long position) {
        long original = original(position);
        json.append("{\"topic\":\"").append(topic(original))
                .append("\",\"event_id\":\"").append(eventId(original))
                .append("\",\"timestamp\":\"").append(timestamp(original))
                .append("\",\"source\":\"").append(source())
                .append("\",\"payload\":").append(payload(original)).append('}');
    }

    /** A request body: one event object when {@code count} is 1, else an array of the events from {@code first}. */
    public byte[] body(long first, int count) {
        StringBuilder json = new StringBuilder(count * 220);
        if (count == 1) {
            appendEvent(json, first);
        } else {
            json.append('[');
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    json.append(',');
                }
                appendEvent(json, first + i);
            }
            json.append(']');
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long mix(long x) {  // SplitMix64's finaliser: a cheap, well-spread hash of the position
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return (x ^ (x >>> 31)) & Long.MAX_VALUE;
    }
}
