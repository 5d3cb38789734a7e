package org.libertyevents.aggregator.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

import java.time.OffsetDateTime;

/** A stored event: the row that makes its {@code (topic, event_id)} taken. Written by {@link EventStoreBean}. */
@Entity
@Table(name = "events", uniqueConstraints = @UniqueConstraint(name = "events_topic_event_id_key",
        columnNames = {"topic", "event_id"}))
@NamedQuery(name = "StoredEvent.findByKey",
        query = "SELECT e FROM StoredEvent e WHERE e.topic = :topic AND e.eventId = :eventId")
public class StoredEvent {

    @Id
    @Column(name = "seq")
    private long seq;

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

    @Column(name = "attributes")
    private String attributes;

    public long getSeq() {
        return seq;
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

    public OffsetDateTime getReceivedAt() {
        return receivedAt;
    }

    /** The CloudEvents context attributes the event was published with (JSON object text), or null. */
    public String getAttributes() {
        return attributes;
    }
}
