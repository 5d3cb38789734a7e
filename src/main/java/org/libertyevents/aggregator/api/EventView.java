package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.libertyevents.aggregator.store.StoredEvent;

import java.io.StringReader;
import java.time.Instant;

/**
 * A stored event as {@code GET /events} returns it; {@code cloudevents} holds the other context attributes of an
 * event published as a CloudEvent, and is null otherwise.
 */
public record EventView(String topic, String eventId, Instant timestamp, String source, JsonObject payload,
                        Instant receivedAt, long seq, JsonObject cloudevents) {

    static EventView of(StoredEvent event) {
        return new EventView(event.getTopic(), event.getEventId(), event.getEventTime().toInstant(),
                event.getSource(), object(event.getPayload()), event.getReceivedAt().toInstant(), event.getSeq(),
                event.getAttributes() == null ? null : object(event.getAttributes()));
    }

    /** Parses stored JSON object text (a payload or attributes). */
    static JsonObject object(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}
