package org.libertyevents.aggregator.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/** A stored event: the row that makes its {@code (topic, event_id)} taken. Written by {@link EventStoreBean}. */
@Entity
@Table(name = "events", uniqueConstraints = @UniqueConstraint(name = "events_topic_event_id_key",
        columnNames = {"topic", "event_id"}))
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

    public long getSeq() {
        return seq;
    }

    /** Where this event stands in the feed of {@code GET /events}. */
    public FeedPosition position() {
        return new FeedPosition(tx, seq);
    }

    /** The CloudEvents context attributes the event was published with (JSON object text), or null. */
    public String getAttributes() {
        return attributes;
    }
}
