package org.libertyevents.aggregator.api;

import jakarta.json.JsonObject;
import org.libertyevents.aggregator.store.ConflictRecord;

import java.time.Instant;

/**
 * A conflicting copy as {@code GET /conflicts} returns it; the stored original is at
 * {@code GET /events/{topic}/{event_id}}.
 */
public record ConflictView(String topic, String eventId, Instant timestamp, String source, JsonObject payload,
                           String payloadHash, String storedPayloadHash, Instant receivedAt) {

    static ConflictView of(ConflictRecord conflict) {
        return new ConflictView(conflict.getTopic(), conflict.getEventId(), conflict.getEventTime().toInstant(),
                conflict.getSource(), EventView.object(conflict.getPayload()), conflict.getPayloadHash(),
                conflict.getStoredHash(), conflict.getReceivedAt().toInstant());
    }
}
