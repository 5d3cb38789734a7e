package org.libertyevents.aggregator.broker;

import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

import java.nio.charset.StandardCharsets;

/** Reads Redis replies: script results come back as numbers or bulk strings, counters as strings or nothing. */
final class RedisReplies {

    private RedisReplies() {
    }

    /** A counter key's value; a key that does not exist counts 0. */
    static long counter(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    /**
     * A pipelined reply. A cluster pipeline whose connection broke logs the break and leaves that node's replies
     * unset, and reading an unset reply throws {@link IllegalStateException}: it is the broken connection, whose
     * commands may or may not have run, and surfaces as one.
     */
    static <T> T of(Response<T> reply) {
        try {
            return reply.get();
        } catch (IllegalStateException unanswered) {
            throw new JedisConnectionException("the connection to Redis broke before it answered", unanswered);
        }
    }

    static long number(Object reply) {
        return reply instanceof Number number ? number.longValue() : Long.parseLong(text(reply));
    }

    static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }
}
