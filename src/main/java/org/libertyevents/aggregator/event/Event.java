package org.libertyevents.aggregator.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One validated event as it travels from the HTTP boundary to the database.
 *
 * @param topic      the stream the event belongs to; part of its identity
 * @param eventId    the producer's identifier, unique within the topic
 * @param timestamp  when the producer says the event happened (microsecond precision, as the database keeps it)
 * @param source     who produced it
 * @param payload    the payload object as compact JSON text
 * @param receivedAt when this service accepted it
 */
public record Event(String topic, String eventId, Instant timestamp, String source, String payload,
                    Instant receivedAt) {

    public Event {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The event's identity: the same id in another topic is another event. */
    public EventKey key() {
        return new EventKey(topic, eventId);
    }
}
