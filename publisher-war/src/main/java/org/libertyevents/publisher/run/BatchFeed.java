package org.libertyevents.publisher.run;

import java.util.Iterator;
import java.util.List;

/**
 * Hands a run's batches to its workers one at a time, numbered in sending order, as the generator produces them:
 * a run holds only the batches in flight.
 */
final class BatchFeed {

    /** A batch and its place in the run (0-based), which paces it. */
    record Numbered(int index, List<String> events) {
    }

    private final Iterator<List<String>> batches;
    private int next;

    BatchFeed(Iterator<List<String>> batches) {
        this.batches = batches;
    }

    /** The next batch, or null when all are taken. */
    synchronized Numbered next() {
        return batches.hasNext() ? new Numbered(next++, batches.next()) : null;
    }
}
