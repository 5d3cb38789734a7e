package org.libertyevents.aggregator.broker;

/** What {@link RedisStreams#append} did with a publish request. */
public enum Appended {
    /** Its entries are in the stream. */
    APPENDED,
    /** Nothing appended: the backlog has no room for it. */
    BACKLOG_FULL,
    /** Nothing appended: this request, by its {@link AppendKey}, was appended before and its answer was lost. */
    APPENDED_BEFORE,
    /** Nothing appended: another request was appended under its {@link AppendKey}. */
    KEY_REUSED,
    /**
     * Appended (now or before), but fewer replicas than {@code BROKER_MIN_REPLICAS} confirmed it in time: it may be
     * lost with its master, so it is not acknowledged; a retry is a duplicate, or with its key finds the marker.
     */
    UNREPLICATED;

    static Appended of(long reply) {
        return switch ((int) reply) {
            case 0 -> BACKLOG_FULL;
            case 1 -> APPENDED;
            case 2 -> APPENDED_BEFORE;
            case 3 -> KEY_REUSED;
            default -> throw new IllegalStateException("append.lua answered " + reply);
        };
    }
}
