package org.libertyevents.publisher.generate;

import java.util.List;

/**
 * The events of one run, ready to send.
 *
 * @param batches        serialized events (compact JSON text) cut into batches; flattened in order they are the
 *                       sending sequence, in which each duplicate follows the event it copies
 * @param uniqueKeys     the distinct keys, in the order their first occurrence appears in that sequence
 * @param uniqueCount    number of distinct events
 * @param duplicateCount number of extra copies sent on top of them
 */
public record GeneratedRun(List<List<String>> batches, List<EventKey> uniqueKeys, int uniqueCount,
                           int duplicateCount) {

    /** Copies the lists so the run cannot change once built. */
    public GeneratedRun {
        batches = batches.stream().map(List::copyOf).toList();
        uniqueKeys = List.copyOf(uniqueKeys);
    }
}
