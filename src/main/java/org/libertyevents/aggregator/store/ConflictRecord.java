package org.libertyevents.aggregator.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A conflicting copy of an event: it arrived with the key of a stored event and another payload, and was dropped.
 * The latest {@code CONFLICTS_KEPT} are kept, written by {@link EventStoreBean}.
 */
@Entity
@Table(name = "conflicts")
public class ConflictRecord extends EventColumns {

    @Id
    @Column(name = "id")
    private long id;

    @Column(name = "payload_hash", nullable = false)
    private String payloadHash;

    @Column(name = "stored_hash", nullable = false)
    private String storedHash;

    public long getId() {
        return id;
    }

    public String getPayloadHash() {
        return payloadHash;
    }

    public String getStoredHash() {
        return storedHash;
    }
}
