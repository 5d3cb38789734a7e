package org.libertyevents.aggregator.store;

/**
 * The persistent counters summed over every topic.
 *
 * @param unique     events stored
 * @param duplicates true duplicates dropped
 * @param conflicts  conflicting duplicates dropped
 * @param topics     topics with counters
 * @param expired    stored events whose payload expired since
 * @param erased     stored events erased since
 */
public record CounterTotals(long unique, long duplicates, long conflicts, long topics, long expired, long erased) {
}
