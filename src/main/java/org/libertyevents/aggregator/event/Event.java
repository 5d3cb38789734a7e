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
 * @param payload    the payload object as canonical JSON text
 * @param receivedAt when this service accepted it
 * @param attributes for an event published as a CloudEvent, its other context attributes ({@code specversion},
 *                   {@code type}, {@code subject}, extensions...) as a JSON object text; null otherwise
 * @param trace      the W3C trace context it was published in (a CloudEvent's distributed-tracing extension, else
 *                   the request's {@code traceparent} header); null when it came with none, or an invalid one
 */
public record Event(String topic, String eventId, Instant timestamp, String source, String payload,
                    Instant receivedAt, String attributes, TraceContext trace) {

    public Event {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** An event published in the service's own JSON format, which has no further attributes. */
    public Event(String topic, String eventId, Instant timestamp, String source, String payload, Instant receivedAt) {
        this(topic, eventId, timestamp, source, payload, receivedAt, null, null);
    }

    /** An event with the given attributes and no trace context. */
    public Event(String topic, String eventId, Instant timestamp, String source, String payload, Instant receivedAt,
                 String attributes) {
        this(topic, eventId, timestamp, source, payload, receivedAt, attributes, null);
    }

    /** This event in the trace context {@code trace}. */
    public Event withTrace(TraceContext trace) {
        return new Event(topic, eventId, timestamp, source, payload, receivedAt, attributes, trace);
    }

    /** The event's identity: the same id in another topic is another event. */
    public EventKey key() {
        return new EventKey(topic, eventId);
    }
}
