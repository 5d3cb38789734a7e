package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.libertyevents.aggregator.store.StoredEvent;

import java.io.StringReader;
import java.time.Instant;

/** A stored event as {@code GET /events} returns it. */
public record EventView(String topic, String eventId, Instant timestamp, String source, JsonObject payload,
                        Instant receivedAt, long seq) {

    static EventView of(StoredEvent event) {
        JsonObject payload;
        try (var reader = Json.createReader(new StringReader(event.getPayload()))) {
            payload = reader.readObject();
        }
        return new EventView(event.getTopic(), event.getEventId(), event.getEventTime().toInstant(),
                event.getSource(), payload, event.getReceivedAt().toInstant(), event.getSeq());
    }
}
