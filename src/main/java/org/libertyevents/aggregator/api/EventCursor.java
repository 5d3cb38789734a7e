package org.libertyevents.aggregator.api;

import org.libertyevents.aggregator.store.FeedPosition;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque {@code after} cursor of {@code GET /events}: the feed position of the last event a page returned. It is
 * opaque so that the paging scheme can change without breaking clients that only pass it back; cursors of the first
 * scheme ({@code v1}, a sequence alone) still decode, as a position among the events stored before the change.
 */
final class EventCursor {

    private static final String VERSION = "v2:";
    private static final String FIRST_VERSION = "v1:";

    private EventCursor() {
    }

    static String encode(FeedPosition position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (VERSION + position.tx() + ":" + position.seq()).getBytes(StandardCharsets.US_ASCII));
    }

    /** The position the cursor stands for; a cursor this service did not issue is a 400. */
    static FeedPosition decode(String cursor) {
        return read(cursor).orElseThrow(() -> new ProblemException(
                Problem.invalidParameter("after", "is not a cursor returned by this service")));
    }

    /** The position the cursor stands for, or empty when this service did not issue it. */
    static Optional<FeedPosition> read(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(VERSION)) {
                String[] parts = text.substring(VERSION.length()).split(":", -1);
                if (parts.length == 2) {
                    return position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                }
            } else if (text.startsWith(FIRST_VERSION)) {
                // Events stored before transaction ids were kept all have tx 0, in seq order.
                return position(0, Long.parseLong(text.substring(FIRST_VERSION.length())));
            }
        } catch (IllegalArgumentException e) {
            // not a cursor (NumberFormatException is an IllegalArgumentException)
        }
        return Optional.empty();
    }

    private static Optional<FeedPosition> position(long tx, long seq) {
        return tx < 0 || seq < 0 ? Optional.empty() : Optional.of(new FeedPosition(tx, seq));
    }
}
