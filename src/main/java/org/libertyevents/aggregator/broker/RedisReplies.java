package org.libertyevents.aggregator.broker;

import java.nio.charset.StandardCharsets;

/** Reads Redis replies: script results come back as numbers or bulk strings, counters as strings or nothing. */
final class RedisReplies {

    private RedisReplies() {
    }

    /** A counter key's value; a key that does not exist counts 0. */
    static long counter(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    static long number(Object reply) {
        return reply instanceof Number number ? number.longValue() : Long.parseLong(text(reply));
    }

    static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
