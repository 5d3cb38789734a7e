package org.libertyevents.aggregator.store;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

import java.time.OffsetDateTime;

/** The columns an event's row has wherever it is kept: as the stored event, or as a conflicting copy. */
@MappedSuperclass
public abstract class EventColumns {

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

    @Column(name = "received_at", nullable = false)
    private OffsetDateTime receivedAt;

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

    public OffsetDateTime getReceivedAt() {
        return receivedAt;
    }
}
