package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.libertyevents.aggregator.store.ConflictRecord;

import java.io.StringReader;
import java.time.Instant;

/**
 * A conflicting copy as {@code GET /conflicts} returns it; the stored original is at
 * {@code GET /events/{topic}/{event_id}}.
 */
public record ConflictView(String topic, String eventId, Instant timestamp, String source, JsonObject payload,
                           String payloadHash, String storedPayloadHash, Instant receivedAt) {

    static ConflictView of(ConflictRecord conflict) {
        JsonObject payload;
        try (var reader = Json.createReader(new StringReader(conflict.getPayload()))) {
            payload = reader.readObject();
        }
        return new ConflictView(conflict.getTopic(), conflict.getEventId(), conflict.getEventTime().toInstant(),
                conflict.getSource(), payload, conflict.getPayloadHash(), conflict.getStoredHash(),
                conflict.getReceivedAt().toInstant());
    }
}
