package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;

import java.util.List;
import java.util.Set;

/** Stores events exactly once per {@code (topic, event_id)}, in one transaction with the counters. */
public interface EventStore {

    /**
     * Inserts the events not stored yet, in the given order, and counts the rest as duplicates; the first
     * occurrence of a key in the list wins. The same transaction writes the answers of the requests'
     * Idempotency-Keys. Returns when the transaction has committed.
     *
     * @param answers answers built from these verdicts ({@link KeyedAnswer#within}), for keys their requests hold
     * @return one verdict per event, in the same order
     * @throws StoreException when the transaction did not commit; nothing of the list is stored then, and no key
     *         answered ({@link IdempotencyKeyTakenException} when a key was no longer held); or, of kind
     *         {@link StoreException.Kind#UNCONFIRMED}, when its commit was not confirmed: then all of it may be
     *         stored, keys answered included
     */
    List<Verdict> store(List<Event> events, List<KeyedAnswer> answers);

    /**
     * Stores the events of broker entries as {@link #store} does, in one transaction that also records a receipt
     * per entry. Entries settled already are skipped (their receipt exists, or they are below the stream's receipt
     * floor), so that delivering an entry again (at-least-once), to a consumer that no longer owns it included,
     * neither stores nor counts anything twice.
     *
     * @param stream     the stream the entries come from
     * @param deliveries the entries, with distinct ids
     * @throws StoreException when the transaction did not commit; nothing of the list is stored then, unless the
     *         kind is {@link StoreException.Kind#UNCONFIRMED} (all of it may be, receipts included)
     */
    DeliveryResult storeDeliveries(String stream, List<Delivery> deliveries);

    /**
     * Decides that entries go to the dead-letter stream, unless they are settled already: records a dead-letter
     * receipt for each unsettled one, so that no delivery commits it later, and returns the ids to move to the
     * dead-letter stream (those decided now or by an earlier delivery). The others were stored (or settled long
     * ago) and are only to be acknowledged.
     */
    Set<String> settleAsDeadLetters(String stream, List<String> entryIds);

    /**
     * Drops the receipts of entries older than {@code beforeMillis}, which every consumer has acknowledged, and
     * raises the stream's receipt floor to it, so that a consumer still holding one of them settles nothing.
     */
    void pruneReceipts(String stream, long beforeMillis);
}
