package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;

import java.util.List;

/**
 * What storing a list of {@link Delivery deliveries} did.
 *
 * @param events      the events of the entries stored now, in order
 * @param verdicts    one verdict per event of {@code events}
 * @param redelivered entries skipped because an earlier delivery had committed them
 */
public record DeliveryResult(List<Event> events, List<Verdict> verdicts, int redelivered) {
}
