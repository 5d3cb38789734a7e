package org.libertyevents.aggregator.store;

import java.time.Instant;

/**
 * How a subscription's delivery is going: written by the instance holding its lease.
 *
 * @param delivered      events its receiver took (answered 2xx)
 * @param attempts       POSTs made, successful or not
 * @param failures       failed attempts in a row at the event (or batch) delivered next; 0 when the last succeeded
 * @param firstFailureAt when the first of those failures happened, or null: the retry horizon counts from it
 * @param nextAttemptAt  no attempt before this (backoff, or the receiver's Retry-After), or null
 * @param deadLetters    events given up on after the retry horizon
 */
public record DeliveryProgress(long delivered, long attempts, int failures, Instant firstFailureAt,
                               Instant nextAttemptAt, Instant lastSuccessAt, Instant lastErrorAt, String lastError,
                               long deadLetters) {

    /** Nothing delivered or tried yet. */
    public static final DeliveryProgress NONE = new DeliveryProgress(0, 0, 0, null, null, null, null, null, 0);
}
