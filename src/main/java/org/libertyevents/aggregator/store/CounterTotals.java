package org.libertyevents.aggregator.store;

/**
 * The persistent counters summed over every topic.
 *
 * @param unique     events stored
 * @param duplicates identical repeats dropped (the column {@code duplicate_count}; see {@link #dropped()})
 * @param conflicts  conflicting repeats dropped
 * @param topics     topics with counters
 * @param expired    stored events whose payload expired since
 * @param erased     stored events erased since
 */
public record CounterTotals(long unique, long duplicates, long conflicts, long topics, long expired, long erased) {

    /** Every repeat dropped, identical or conflicting: what {@code /stats} calls {@code duplicate_dropped}. */
    public long dropped() {
        return duplicates + conflicts;
    }
}
