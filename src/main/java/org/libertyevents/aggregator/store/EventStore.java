package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;

import java.util.List;

/** Stores events exactly once per {@code (topic, event_id)}, in one transaction with the counters. */
public interface EventStore {

    /**
     * Inserts the events not stored yet, in the given order, and counts the rest as duplicates; the first
     * occurrence of a key in the list wins. Returns when the transaction has committed.
     *
     * @return one verdict per event, in the same order
     * @throws StoreException when the transaction did not commit; nothing of the list is stored then
     */
    List<Verdict> store(List<Event> events);
}
