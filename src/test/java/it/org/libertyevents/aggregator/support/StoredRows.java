package it.org.libertyevents.aggregator.support;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.HashSet;
import java.util.Set;

/** The rows stored for a topic, counted apart from the service's counters. */
public final class StoredRows {

    /** Pages of {@code GET /events} read at most: 1,000 events each. */
    private static final int MAX_PAGES = 1_000;

    private StoredRows() {
    }

    /**
     * Rows of {@code topic} and the distinct event ids among them: in the PostgreSQL suite from the suite's
     * database (which every instance shares unless started with a {@code DB_URL} of its own), in the H2 suite from
     * the feed of the instance at {@code base}, whose embedded database is its own.
     */
    public static long[] of(String base, String topic) {
        return ItDatabase.isPostgres() ? ItDatabase.rows(topic) : listed(base, topic);
    }

    /** Rows of {@code topic} as the feed {@code GET /events?topic=} at {@code base} lists them, page by page. */
    public static long[] listed(String base, String topic) {
        long rows = 0;
        Set<String> ids = new HashSet<>();
        String after = "";
        for (int page = 0; page < MAX_PAGES; page++) {
            Reply reply = Api.getFrom(base, "/events?limit=1000&topic=" + Api.encode(topic)
                    + (after.isEmpty() ? "" : "&after=" + Api.encode(after)));
            if (reply.status() != 200) {
                throw new AssertionError("GET /events at " + base + " answered " + reply.brief());
            }
            JsonObject body = reply.json();
            for (JsonValue event : body.getJsonArray("events")) {
                rows++;
                ids.add(event.asJsonObject().getString("event_id"));
            }
            if (body.isNull("next")) {
                return new long[] {rows, ids.size()};
            }
            after = body.getString("next");
        }
        throw new AssertionError("the feed of " + topic + " at " + base + " did not end within " + MAX_PAGES
                + " pages");
    }
}
