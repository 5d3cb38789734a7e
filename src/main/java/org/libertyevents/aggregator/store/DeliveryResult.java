package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;

import java.util.List;
import java.util.Set;

/**
 * What storing a list of {@link Delivery deliveries} did.
 *
 * @param events      the events of the entries stored now, in order
 * @param verdicts    one verdict per event of {@code events}
 * @param redelivered  entries skipped because they were settled already: an earlier delivery committed or
 *                     dead-lettered them
 * @param deadLettered those of the skipped entries that were dead-lettered, to be moved to the dead-letter stream
 *                     (again, if a consumer died between the decision and the move) rather than acknowledged
 */
public record DeliveryResult(List<Event> events, List<Verdict> verdicts, int redelivered, Set<String> deadLettered) {

    public DeliveryResult {
        deadLettered = Set.copyOf(deadLettered);
    }
}
