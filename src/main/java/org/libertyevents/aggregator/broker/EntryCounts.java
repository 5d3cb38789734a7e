package org.libertyevents.aggregator.broker;

import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * What a stream entry added to the backlog counters, read from the fields append.lua writes ({@code n} and
 * {@code bytes}); whatever takes the entry off the backlog (acknowledge, dead-letter) takes off exactly this. An
 * entry without a field (appended before it was written) counts 0 for it, as it added nothing.
 */
record EntryCounts(StreamEntryID id, int events, long bytes) {

    static EntryCounts of(StreamEntry entry) {
        return new EntryCounts(entry.getID(), (int) field(entry, "n"), field(entry, "bytes"));
    }

    private static long field(StreamEntry entry, String name) {
        try {
            return entry.getFields() == null ? 0 : Long.parseLong(entry.getFields().getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
