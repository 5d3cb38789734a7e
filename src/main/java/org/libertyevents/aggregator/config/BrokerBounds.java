package org.libertyevents.aggregator.config;

/**
 * The broker's bounds in bytes and entries, beside the event bound of {@link BrokerSettings}.
 *
 * @param maxBacklogBytes      bytes of entry bodies waiting in the broker above which asynchronous publish answers
 *                             503 (0: no limit)
 * @param deadLetterMaxEntries entries the dead-letter stream keeps, the latest (0: all); its event counter still
 *                             counts every event ever dead-lettered
 */
public record BrokerBounds(long maxBacklogBytes, long deadLetterMaxEntries) {

    public BrokerBounds {
        if (maxBacklogBytes < 0 || deadLetterMaxEntries < 0) {
            throw new IllegalArgumentException("broker bounds must not be negative: " + this);
        }
    }
}
