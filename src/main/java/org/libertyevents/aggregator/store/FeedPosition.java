package org.libertyevents.aggregator.store;

/**
 * A place in the feed of stored events, which {@code GET /events} reads in the order of this key: the writing
 * transaction's id ({@code tx}, 0 on H2 and for rows stored before it was kept), then the arrival sequence within it.
 *
 * @param tx  the id of the transaction that stored the event
 * @param seq the event's arrival sequence
 */
public record FeedPosition(long tx, long seq) {

    /** Before every event. */
    public static final FeedPosition START = new FeedPosition(0, 0);
    /** After every event: where a newest-first read starts. */
    public static final FeedPosition END = new FeedPosition(Long.MAX_VALUE, Long.MAX_VALUE);
}
