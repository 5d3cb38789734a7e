package org.libertyevents.aggregator.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code after} cursor of {@code GET /events}: the last arrival sequence a page returned. It is opaque
 * so that the paging scheme can change without breaking clients that only pass it back.
 */
final class EventCursor {

    private static final String VERSION = "v1:";

    private EventCursor() {
    }

    static String encode(long seq) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((VERSION + seq).getBytes(StandardCharsets.US_ASCII));
    }

    /** The sequence the cursor stands for; a cursor this service did not issue is a 400. */
    static long decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(VERSION)) {
                long seq = Long.parseLong(text.substring(VERSION.length()));
                if (seq >= 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below (NumberFormatException is an IllegalArgumentException)
        }
        throw new ProblemException(Problem.invalidParameter("after", "is not a cursor returned by this service"));
    }
}
