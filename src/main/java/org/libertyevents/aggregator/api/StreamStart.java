package org.libertyevents.aggregator.api;

import org.libertyevents.aggregator.store.FeedPosition;

import java.util.function.Supplier;

/**
 * Where a live stream starts: right after the event whose id a reconnecting client sends as {@code Last-Event-ID};
 * else right after {@code after}; else at the end of the feed with {@code from=now}; else at its start.
 * {@code Last-Event-ID} wins because a client reconnects with the URL it first opened, {@code after} or
 * {@code from=now} included, and must go on from where it was, not from there.
 */
final class StreamStart {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    static final String NOW = "now";

    private StreamStart() {
    }

    /**
     * @param end the end of the feed now, asked for only with {@code from=now} and no {@code Last-Event-ID}
     * @throws ProblemException 400 for an id or cursor this service did not issue, a {@code from} other than
     *                          {@code now}, or {@code from=now} with {@code after}
     */
    static FeedPosition resolve(String lastEventId, String after, String from, Supplier<FeedPosition> end) {
        boolean now = present(from);
        if (now && !from.equals(NOW)) {
            throw new ProblemException(Problem.invalidParameter("from", "must be now (or absent: the start)"));
        }
        if (now && present(after)) {
            throw new ProblemException(Problem.invalidParameter("from",
                    "and after exclude each other: the stream starts after the cursor or at the end of the feed"));
        }
        FeedPosition afterPosition = present(after) ? EventCursor.decode(after) : null;
        if (present(lastEventId)) {
            return EventCursor.read(lastEventId).orElseThrow(() -> new ProblemException(Problem.invalidHeader(
                    LAST_EVENT_ID, "is not the id of an event this service streamed")));
        }
        if (afterPosition != null) {
            return afterPosition;
        }
        return now ? end.get() : FeedPosition.START;
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }
}
