package org.libertyevents.publisher.generate;

/** Identity of an event: {@code (topic, event_id)}, the pair the aggregator keeps unique. */
public record EventKey(String topic, String eventId) {
}
