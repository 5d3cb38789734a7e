package org.libertyevents.aggregator.event;

/** What publishing did with one event. */
public enum Verdict {
    /** First time this {@code (topic, event_id)} was seen: it is now stored. */
    STORED,
    /** Already stored (earlier, or earlier in the same group commit): dropped and counted. */
    DUPLICATE;

    /** The lower-case word used on the wire. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
