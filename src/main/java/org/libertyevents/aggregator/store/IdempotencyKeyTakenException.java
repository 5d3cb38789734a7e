package org.libertyevents.aggregator.store;

/**
 * A transaction was to answer an {@code Idempotency-Key} that its request no longer holds: the key was given up as
 * abandoned and answered or claimed by another request meanwhile. The transaction rolls back, so that the key's
 * answer stays the one that came with its events; running it again would fail the same way, hence
 * {@link Kind#REJECTED}, which also makes a group commit retry its other requests without this one.
 */
public class IdempotencyKeyTakenException extends StoreException {

    private static final long serialVersionUID = 1L;

    IdempotencyKeyTakenException(String key) {
        super(Kind.REJECTED, "the Idempotency-Key " + key + " is no longer held by this request", null);
    }
}
