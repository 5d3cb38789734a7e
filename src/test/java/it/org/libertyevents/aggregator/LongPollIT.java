package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /events?wait=}: a read at the end of the feed waits until an event is there (answered as soon as it is
 * committed, well before the wait is over), or answers an empty page when the wait is over; a read that finds events
 * answers at once. The oracle is what the test itself published.
 */
@MicroShedTest
class LongPollIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void aWaitingReadGetsTheEventPublishedWhileItWaits() throws Exception {
        String topic = freshTopic("long-poll");
        String end = cursorAtEnd(topic);
        long waitingBefore = waiting();
        CompletableFuture<Reply> read = Api.getAsyncFrom(Api.baseUrl(),
                "/events?topic=" + Api.encode(topic) + "&after=" + end + "&wait=30s");
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting() > waitingBefore || read.isDone());
        assertFalse(read.isDone(), "nothing was there to read: " + (read.isDone() ? read.get().brief() : ""));

        long published = System.nanoTime();
        assertEquals(200, Api.publish(Api.batch(event(topic, "a"), event(topic, "b"))).status());
        Reply page = read.get(20, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - published) / 1e9;

        assertEquals(200, page.status(), page.brief());
        assertEquals(List.of("a", "b"), ids(page));
        assertTrue(seconds < 10, "answered " + seconds + " s after the publish, not at the end of the wait");
        Reply after = Api.get("/events?topic=" + Api.encode(topic) + "&after=" + page.json().getString("cursor"));
        assertEquals(List.of(), ids(after), "the cursor goes on after the events it answered");
    }

    @Test
    void aWaitWithNothingNewEndsWithAnEmptyPage() {
        String topic = freshTopic("long-poll-empty");
        String end = cursorAtEnd(topic);
        long started = System.nanoTime();
        Reply page = Api.get("/events?topic=" + Api.encode(topic) + "&after=" + end + "&wait=1500ms");
        double seconds = (System.nanoTime() - started) / 1e9;

        assertEquals(200, page.status(), page.brief());
        assertEquals(List.of(), ids(page));
        assertEquals(end, page.json().getString("cursor"), "an empty page's cursor stays where it was");
        assertTrue(seconds >= 1.4 && seconds < 10, "waited " + seconds + " s for a wait of 1.5 s");
    }

    @Test
    void aReadThatFindsEventsAnswersAtOnce() {
        String topic = freshTopic("long-poll-there");
        assertEquals(200, Api.publish(Api.batch(event(topic, "x"))).status());
        long started = System.nanoTime();
        Reply page = Api.get("/events?topic=" + Api.encode(topic) + "&wait=30s");
        double seconds = (System.nanoTime() - started) / 1e9;

        assertEquals(List.of("x"), ids(page));
        assertTrue(seconds < 10, "took " + seconds + " s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wait=soon", "wait=-1s", "wait=61s", "wait=PT2M", "wait=1h", "order=desc&wait=5s"})
    void anInvalidWaitIsRefused(String query) {
        Reply reply = Api.get("/events?" + query);
        assertEquals(400, reply.status(), reply.brief());
        assertEquals("urn:problem:liberty-event-aggregator:invalid-parameter", reply.json().getString("type"));
        assertEquals("wait", reply.array("errors").getJsonObject(0).getString("field"), reply.brief());
    }

    private static String cursorAtEnd(String topic) {
        Reply empty = Api.get("/events?topic=" + Api.encode(topic));
        assertEquals(List.of(), ids(empty));
        return empty.json().getString("cursor");
    }

    private static List<String> ids(Reply page) {
        return page.array("events").getValuesAs(JsonValue::asJsonObject).stream()
                .map(e -> ((JsonObject) e).getString("event_id")).toList();
    }

    private static long waiting() {
        return Api.metric(Api.baseUrl(), "aggregator_feed_waiting");
    }
}
