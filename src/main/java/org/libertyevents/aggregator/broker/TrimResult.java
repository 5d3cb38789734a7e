package org.libertyevents.aggregator.broker;

/**
 * What one trim pass found.
 *
 * @param watermark      the id below which entries were trimmed: older than both the oldest unacknowledged entry
 *                       and the last one delivered, so every entry below it was acknowledged
 * @param lag            entries the group has not read yet (-1 when Redis cannot tell)
 * @param pendingEntries entries delivered and not acknowledged
 * @param length         entries left in the stream
 */
public record TrimResult(String watermark, long lag, long pendingEntries, long length) {

    /** The milliseconds part of the watermark: every entry older than this was acknowledged. */
    public long watermarkMillis() {
        return Long.parseLong(watermark.substring(0, watermark.indexOf('-')));
    }
}
