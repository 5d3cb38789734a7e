package org.libertyevents.aggregator.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * A conflicting copy of an event: it arrived with the key of a stored event and another payload, and was dropped.
 * The latest {@code CONFLICTS_KEPT} are kept, written by {@link EventStoreBean}.
 */
@Entity
@Table(name = "conflicts")
public class ConflictRecord {

    @Id
    @Column(name = "id")
    private long id;

    @Column(name = "topic", nullable = false)
    private String topic;

    @Column(name = "event_id", nullable = false)
    private String eventId;

    @Column(name = "event_time", nullable = false)
    private OffsetDateTime eventTime;

    @Column(name = "source", nullable = false)
    private String source;

    @Column(name = "payload", nullable = false)
    private String payload;

    @Column(name = "payload_hash", nullable = false)
    private String payloadHash;

    @Column(name = "stored_hash", nullable = false)
    private String storedHash;

    @Column(name = "received_at", nullable = false)
    private OffsetDateTime receivedAt;

    public long getId() {
        return id;
    }

    public String getTopic() {
        return topic;
    }

    public String getEventId() {
        return eventId;
    }

    public OffsetDateTime getEventTime() {
        return eventTime;
    }

    public String getSource() {
        return source;
    }

    public String getPayload() {
        return payload;
    }

    public String getPayloadHash() {
        return payloadHash;
    }

    public String getStoredHash() {
        return storedHash;
    }

    public OffsetDateTime getReceivedAt() {
        return receivedAt;
    }
}
