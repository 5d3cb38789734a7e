package org.libertyevents.aggregator.event;

import java.util.Locale;

/** What publishing did with one event. */
public enum Verdict {
    /** First time this {@code (topic, event_id)} was seen: it is now stored. */
    STORED,
    /** Already stored, with the same payload (earlier, or earlier in the same group commit): dropped and counted. */
    DUPLICATE,
    /**
     * Already stored with a different payload: dropped (the first write wins), counted apart and kept in the
     * bounded conflict list, since a producer that reuses an id for other content usually has a bug.
     */
    CONFLICT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case word used on the wire. */
    public String wireName() {
        return wireName;
    }
}
