package org.libertyevents.aggregator.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.util.UUID;

/**
 * A stored event with its payload, kept until retention or erasure removes it; its key stays taken in
 * {@code event_keys} after that. Written by {@link EventStoreBean}.
 */
@Entity
@Table(name = "events")
@NamedQuery(name = "StoredEvent.findByKey",
        query = "SELECT e FROM StoredEvent e WHERE e.topic = :topic AND e.eventId = :eventId")
public class StoredEvent extends EventColumns {

    @Id
    @Column(name = "seq")
    private long seq;

    /** The id of the transaction that stored the row; the database sets it (see {@link FeedPosition}). */
    @Column(name = "tx", insertable = false, updatable = false)
    private long tx;

    @Column(name = "attributes")
    private String attributes;

    @Column(name = "traceparent")
    private String traceparent;

    @Column(name = "tracestate")
    private String tracestate;

    public long getSeq() {
        return seq;
    }

    /** The event's key as {@code event_keys} holds it: a stable id of the event that names nothing in it. */
    public UUID keyHash() {
        return KeyHash.of(getTopic(), getEventId());
    }

    /** Where this event stands in the feed of {@code GET /events}. */
    public FeedPosition position() {
        return new FeedPosition(tx, seq);
    }

    /** The CloudEvents context attributes the event was published with (JSON object text), or null. */
    public String getAttributes() {
        return attributes;
    }

    /** The W3C {@code traceparent} the event was published with, or null. */
    public String getTraceparent() {
        return traceparent;
    }

    /** The W3C {@code tracestate} that came with its {@code traceparent}, or null. */
    public String getTracestate() {
        return tracestate;
    }
}
