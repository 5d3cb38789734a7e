package org.libertyevents.publisher.run;

import java.util.List;

/**
 * The end-of-run check that every expected event took effect exactly once.
 *
 * @param expectedUnique     unique events the run generated (all with fresh ids)
 * @param expectedDuplicates duplicates the run generated on purpose
 * @param reportedStored     the "stored" verdicts the aggregator returned
 * @param reportedDuplicates the "duplicate" verdicts it returned (retries add to these)
 * @param statsUniqueDelta   how much {@code unique_processed} grew during the run
 * @param statsDuplicateDelta how much {@code duplicate_dropped} grew
 * @param keysChecked        events looked up one by one ({@code GET /events/{topic}/{id}}), 0 for large runs
 * @param keysMissing        of those, how many were not found
 * @param exactlyOnce        the verdict
 * @param differences        what did not match, in words; empty when exactly once
 */
public record Audit(long expectedUnique, long expectedDuplicates, long reportedStored, long reportedDuplicates,
                    long statsUniqueDelta, long statsDuplicateDelta, int keysChecked, int keysMissing,
                    boolean exactlyOnce, List<String> differences) {
}
