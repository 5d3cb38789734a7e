package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;

import java.util.List;

/**
 * The events of one broker entry, delivered for storing. {@code entryId} is the entry's stream id
 * ({@code <milliseconds>-<sequence>}); its receipt, recorded in the same transaction as the events, is what tells a
 * redelivery of a committed entry from new work.
 *
 * @param entryId the stream entry id
 * @param events  the entry's events, in publish order
 */
public record Delivery(String entryId, List<Event> events) {

    public Delivery {
        events = List.copyOf(events);
        millis(entryId);
        sequence(entryId);
    }

    /** The milliseconds part of a stream entry id. */
    static long millis(String entryId) {
        return Long.parseLong(part(entryId, 0));
    }

    /** The sequence part of a stream entry id. */
    static long sequence(String entryId) {
        return Long.parseLong(part(entryId, 1));
    }

    private static String part(String entryId, int index) {
        String[] parts = entryId.split("-", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a stream entry id: " + entryId);
        }
        return parts[index];
    }
}
