package org.libertyevents.publisher.send;

/**
 * What sending one batch came to.
 *
 * @param acknowledged whether the aggregator accepted it (200 committed, or 202 accepted for later)
 * @param stored       events the aggregator reported as stored (0 for 202)
 * @param duplicates   events the aggregator reported as duplicates (0 for 202)
 * @param retries      attempts beyond the first
 * @param error        why it failed, when not acknowledged
 */
public record SendOutcome(boolean acknowledged, int stored, int duplicates, int retries, String error) {
}
