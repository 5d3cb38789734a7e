package org.libertyevents.aggregator.event;

/** Identity of an event: {@code (topic, event_id)}, the pair the database keeps unique. */
public record EventKey(String topic, String eventId) {
}
