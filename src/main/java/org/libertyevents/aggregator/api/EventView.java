package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import org.libertyevents.aggregator.store.StoredEvent;

import java.io.StringReader;
import java.time.Instant;
import java.util.Map;

/**
 * A stored event as {@code GET /events} returns it (and the live stream and webhooks pass it on); {@code cloudevents}
 * holds the other context attributes of an event published as a CloudEvent, and is null otherwise;
 * {@code traceparent} and {@code tracestate} are the W3C trace context it was published in, whatever its format, or
 * null.
 */
public record EventView(String topic, String eventId, Instant timestamp, String source, JsonObject payload,
                        Instant receivedAt, long seq, JsonObject cloudevents, String traceparent,
                        String tracestate) {

    /** Built once: {@code Json.createReader} looks its provider up again on every call, at a class-loading cost. */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    public static EventView of(StoredEvent event) {
        return new EventView(event.getTopic(), event.getEventId(), event.getEventTime().toInstant(),
                event.getSource(), object(event.getPayload()), event.getReceivedAt().toInstant(), event.getSeq(),
                event.getAttributes() == null ? null : object(event.getAttributes()), event.getTraceparent(),
                event.getTracestate());
    }

    /** The JSON an event's view carries besides its texts: member names, instants, numbers. */
    static final int VIEW_OVERHEAD_BYTES = 200;

    /** About the bytes of the event's view as JSON, from its texts' lengths (nothing is serialized to count). */
    static long estimatedBytes(StoredEvent event) {
        return VIEW_OVERHEAD_BYTES + event.getTopic().length() + event.getEventId().length()
                + event.getSource().length() + event.getPayload().length()
                + (event.getAttributes() == null ? 0 : event.getAttributes().length())
                + (event.getTraceparent() == null ? 0 : event.getTraceparent().length())
                + (event.getTracestate() == null ? 0 : event.getTracestate().length());
    }

    /** Parses stored JSON object text (a payload or attributes). */
    static JsonObject object(String json) {
        try (var reader = READERS.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
