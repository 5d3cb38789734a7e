package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader that follows {@code GET /events} with the cursor it was given never passes over an event, even when
 * transactions commit out of {@code seq} order: here a synchronous publish has drawn its sequence numbers and waits
 * (on a counter-row lock the test holds) while a broker consumer stores and commits later ones. Before the feed
 * was ordered by transaction, the reader got the later events first and its cursor went past the waiting ones,
 * which it then never saw.
 */
@MicroShedTest
class FeedOrderIT {

    private static final int EVENTS = 50;
    /** Only this test's events carry it, so the reader keeps them alone. */
    private static final String SOURCE = "it-feed-" + UUID.randomUUID();

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void aFollowingReaderGetsEveryEventOnceWhenCommitsComeOutOfOrder() throws Exception {
        String held = Api.freshTopic("feed-held");
        String overtaking = Api.freshTopic("feed-overtaking");
        Feed reader = new Feed();
        assertEquals(200, Api.publish(batch(held, "first", 1)).status(), "creates the counter row");
        Set<String> expected = new HashSet<>(ids(held, "first", 1));
        expected.addAll(ids(held, "e", EVENTS));
        expected.addAll(ids(overtaking, "e", EVENTS));

        CompletableFuture<Reply> waiting;
        AutoCloseable counterRow = ItDatabase.lockCounterRow(held);
        try {
            waiting = CompletableFuture.supplyAsync(() -> Api.publish(batch(held, "e", EVENTS)));
            await("the held publish waits at its counter update, its events inserted").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ItDatabase.waitingFor("INSERT INTO topic_stats") > 0);
            assertEquals(202, Api.publishTo(Api.baseUrl(), batch(overtaking, "e", EVENTS), true).status());
            await("the broker consumer commits the overtaking events").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> committed(overtaking, EVENTS));

            reader.poll();
            assertEquals(List.of(held + "/first-0"), reader.seen,
                    "events committed behind a running transaction are held back");
        } finally {
            counterRow.close();
        }
        assertEquals(200, waiting.get().status(), waiting.get().brief());

        await("the reader sees every event").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    reader.poll();
                    return reader.seen.size() >= expected.size();
                });
        assertEquals(expected.size(), reader.seen.size(), "each event once: " + reader.seen);
        assertEquals(expected, new HashSet<>(reader.seen));
        assertTrue(reader.seen.indexOf(held + "/e-" + (EVENTS - 1)) < reader.seen.indexOf(overtaking + "/e-0"),
                "the held transaction began first, so its events come first");
        reader.poll();
        assertEquals(expected.size(), reader.seen.size(), "nothing more once the feed is read");
    }

    /**
     * A reader of this test's events that goes on from the {@code cursor} of its last page, as a consumer would. It
     * reads the whole feed (a source filter needs a topic, and the events are in two) from its newest event when
     * created, and keeps this test's events.
     */
    private static final class Feed {
        private final List<String> seen = new ArrayList<>();
        private String cursor;

        Feed() {
            JsonObject newest = Api.get("/events?order=desc&limit=1").json();
            cursor = newest.getJsonArray("events").isEmpty() ? null : newest.getString("cursor");
        }

        /** Reads every page there is now. */
        void poll() {
            while (true) {
                Reply page = Api.get("/events?limit=100" + (cursor == null ? "" : "&after=" + cursor));
                assertEquals(200, page.status(), page.brief());
                JsonObject body = page.json();
                body.getJsonArray("events").getValuesAs(JsonObject.class).stream()
                        .filter(e -> e.getString("source").equals(SOURCE))
                        .forEach(e -> seen.add(e.getString("topic") + "/" + e.getString("event_id")));
                cursor = body.getString("cursor");
                if (body.isNull("next")) {
                    return;
                }
            }
        }
    }

    private static boolean committed(String topic, int count) {
        for (String id : ids(topic, "e", count)) {
            if (Api.get("/events/" + Api.encode(topic) + "/" + Api.encode(id.substring(topic.length() + 1)))
                    .status() != 200) {
                return false;
            }
        }
        return true;
    }

    private static List<String> ids(String topic, String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(topic + "/" + prefix + "-" + i);
        }
        return ids;
    }

    private static String batch(String topic, String prefix, int count) {
        JsonArrayBuilder events = Json.createArrayBuilder();
        for (int i = 0; i < count; i++) {
            events.add(Json.createObjectBuilder(Api.event(topic, prefix + "-" + i)).add("source", SOURCE));
        }
        return events.build().toString();
    }
}
