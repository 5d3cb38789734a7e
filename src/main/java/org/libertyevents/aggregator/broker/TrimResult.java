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

    /** Nothing found yet: what {@link #plus} starts from. */
    static final TrimResult NONE = new TrimResult("0-0", 0, 0, 0);

    /**
     * The figures of two partitions together: lag, pending entries and length added (lag -1 when either cannot
     * tell); the watermark is the first's, since watermarks of different streams do not add up.
     */
    TrimResult plus(TrimResult other) {
        long sumLag = lag < 0 || other.lag < 0 ? -1 : lag + other.lag;
        return new TrimResult(watermark, sumLag, pendingEntries + other.pendingEntries, length + other.length);
    }

    /** The milliseconds part of the watermark: every entry older than this was acknowledged. */
    public long watermarkMillis() {
        return Long.parseLong(watermark.substring(0, watermark.indexOf('-')));
    }
}
