package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.SseReader;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static it.org.libertyevents.aggregator.support.Api.encode;
import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /events/stream}: a reader that drops its connection every few hundred events and reconnects with
 * {@code Last-Event-ID} gets every acknowledged event once, in feed order, each as {@code GET /events} shows it;
 * {@code from=now} gets only later events; bad starts are 400 before the stream starts. On an instance with
 * {@code EVENTS_STREAMS_MAX=2} and a one-second heartbeat: heartbeats come, a third stream is 503, a dropped
 * stream gives its place back. The oracle is what the test itself published
 * and had acknowledged, and the feed as {@code GET /events} pages it. The instance is number 30 in the H2 suite
 * (an embedded database of its own) and 31 in the PostgreSQL suite.
 */
@MicroShedTest
class EventStreamIT {

    private static final int INSTANCE = ItDatabase.isPostgres() ? 31 : 30;
    private static final int UNIQUE = 10_000;
    /** 500 events a batch, every fifth a duplicate: 400 unique. */
    private static final int BATCH = 500;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static String bounded;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        bounded = Instances.start(INSTANCE, Map.of("EVENTS_STREAMS_MAX", "2", "EVENTS_STREAM_HEARTBEAT", "PT1S",
                "BROKER_STREAM", "it-streams-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    @Test
    void aReaderThatReconnectsGetsEveryEventOnceInFeedOrder() throws Exception {
        String topic = freshTopic("stream");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        int batches = UNIQUE / (BATCH * 4 / 5);
        // A fifth of the events are there before the reader starts; the rest are published while it reads.
        publish(topic, 0, batches / 5, acknowledged);
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                () -> publish(topic, batches / 5, batches, acknowledged));

        List<SseReader.Message> received = new ArrayList<>();
        int reconnects = 0;
        String lastId = null;
        while (received.size() < UNIQUE) {
            Map<String, String> headers = lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId);
            try (SseReader stream = SseReader.open(Api.baseUrl(), "/events/stream?topic=" + encode(topic), headers)) {
                assertEquals(200, stream.status());
                assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
                // A few hundred events, a different number each time, then the connection drops.
                int take = 150 + (reconnects * 137) % 400;
                for (int i = 0; i < take && received.size() < UNIQUE; i++) {
                    SseReader.Message message = stream.next(PATIENCE);
                    assertNotNull(message, "nothing within " + PATIENCE + " after " + received.size() + " events");
                    received.add(message);
                    lastId = message.id();
                }
            }
            reconnects++;
        }
        publishing.get();

        assertEquals(UNIQUE, acknowledged.size(), "the test published 10,000 unique events");
        List<JsonObject> feed = feed(topic);
        List<String> ids = received.stream().map(message -> message.json().getString("event_id")).toList();
        assertEquals(UNIQUE, new HashSet<>(ids).size(), "no event was received twice");
        assertEquals(acknowledged, new HashSet<>(ids), "every acknowledged event, nothing else");
        assertEquals(feed.stream().map(e -> e.getString("event_id")).toList(), ids, "in feed order");
        for (int i = 0; i < UNIQUE; i++) {
            assertEquals(feed.get(i), received.get(i).json(), "event " + i + " as GET /events shows it");
            assertNull(received.get(i).event(), "unnamed messages");
        }
        for (int i : List.of(0, UNIQUE / 2, UNIQUE - 2)) {
            Reply next = Api.get("/events?topic=" + encode(topic) + "&limit=1&after=" + received.get(i).id());
            assertEquals(ids.get(i + 1), next.array("events").getJsonObject(0).getString("event_id"),
                    "the id of event " + i + " is the cursor right after it");
        }
        assertEquals(List.of(), Api.get("/events?topic=" + encode(topic) + "&after=" + lastId).array("events"));
        assertTrue(reconnects >= 20, "reconnected " + reconnects + " times");

        try (SseReader stream = SseReader.open(Api.baseUrl(), "/events/stream?topic=" + encode(topic),
                Map.of("Last-Event-ID", lastId))) {
            assertNull(stream.next(Duration.ofSeconds(2)), "nothing after the last event");
        }
    }

    @Test
    void fromNowGetsOnlyLaterEvents() {
        String topic = freshTopic("stream-now");
        assertEquals(200, Api.publish(Api.batch(event(topic, "before"))).status());
        // Visible in the feed, so that "now" is past it.
        await().atMost(PATIENCE).until(() -> feed(topic).size() == 1);

        long opening = System.nanoTime();
        try (SseReader stream = SseReader.open(Api.baseUrl(), "/events/stream?topic=" + encode(topic) + "&from=now",
                Map.of())) {
            double seconds = (System.nanoTime() - opening) / 1e9;
            assertEquals(200, stream.status());
            // The suite's heartbeat is 15 s: the answer must not wait for the first one.
            assertTrue(seconds < 5, "the stream's answer came after " + seconds + " s");
            assertEquals(200, Api.publish(Api.batch(event(topic, "after-1"), event(topic, "after-2"))).status());

            assertEquals("after-1", stream.next(PATIENCE).json().getString("event_id"));
            assertEquals("after-2", stream.next(PATIENCE).json().getString("event_id"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "?topic=t|nonsense|invalid-header|Last-Event-ID",
            "?topic=t&after=nonsense||invalid-parameter|after",
            "?source=s||invalid-parameter|source",
            "?from=later||invalid-parameter|from",
            "?from=now&after=djI6MTox||invalid-parameter|from"})
    void anInvalidStartIs400BeforeTheStreamStarts(String query, String lastEventId, String type, String field) {
        Map<String, String> headers = lastEventId == null ? Map.of() : Map.of("Last-Event-ID", lastEventId);
        try (SseReader stream = SseReader.open(Api.baseUrl(), "/events/stream" + query, headers)) {
            assertEquals(400, stream.status());
            assertTrue(stream.header("Content-Type").startsWith("application/problem+json"));
            JsonObject problem = stream.problem();
            assertEquals("urn:problem:liberty-event-aggregator:" + type, problem.getString("type"), problem.toString());
            assertEquals(field, problem.getJsonArray("errors").getJsonObject(0).getString("field"));
        }
    }

    /** The stream's path does not hide the events of a topic named "stream". */
    @Test
    void anEventOfTopicStreamIsStillFoundByItsKey() {
        String id = UUID.randomUUID().toString();
        assertEquals(200, Api.publish(Api.batch(event("stream", id))).status());

        Reply found = Api.get("/events/stream/" + id);
        assertEquals(200, found.status(), found.brief());
        assertEquals(id, found.json().getString("event_id"));
    }

    @Test
    void streamsAreBoundedKeptAliveAndCounted() {
        String topic = freshTopic("stream-bounded");
        SseReader first = SseReader.open(bounded, "/events/stream?topic=" + encode(topic), Map.of());
        SseReader second = SseReader.open(bounded, "/events/stream?topic=" + encode(topic + "-other") + "&from=now",
                Map.of());
        assertEquals(200, first.status());
        assertEquals(200, second.status());
        try (SseReader third = SseReader.open(bounded, "/events/stream", Map.of())) {
            assertEquals(503, third.status());
            assertNotNull(third.header("Retry-After"));
            assertEquals("urn:problem:liberty-event-aggregator:too-many-streams", third.problem().getString("type"));
        }
        assertEquals(2, Api.metric(bounded, "aggregator_feed_streams"));

        // Comments on a stream with nothing to send: one at once (it carries the headers), then one a second.
        for (int i = 0; i < 3; i++) {
            assertEquals(SseReader.Signal.COMMENT, second.nextItem(Duration.ofSeconds(5)), "comment " + i);
        }
        assertEquals(200, Api.publishTo(bounded, Api.batch(event(topic, "a"), event(topic, "b"), event(topic, "c")),
                false).status());
        for (String id : List.of("a", "b", "c")) {
            assertEquals(id, first.next(PATIENCE).json().getString("event_id"));
        }
        await().atMost(PATIENCE).until(() -> Api.metric(bounded, "aggregator_feed_stream_events_total") == 3);

        // A client that goes frees its place: its next heartbeat fails.
        first.close();
        await().atMost(PATIENCE).until(() -> Api.metric(bounded, "aggregator_feed_streams") == 1);
        try (SseReader again = SseReader.open(bounded, "/events/stream?from=now", Map.of())) {
            assertEquals(200, again.status());
        }

        // And every place comes back: no stream outlives its client (an open one would hold the instance's stop for
        // Liberty's 30 s quiesce).
        second.close();
        await().atMost(PATIENCE).until(() -> Api.metric(bounded, "aggregator_feed_streams") == 0);
    }

    private static void publish(String topic, int fromBatch, int toBatch, Set<String> acknowledged) {
        for (int batch = fromBatch; batch < toBatch; batch++) {
            String body = Api.batchWithDuplicates(topic, "e", batch * BATCH, BATCH);
            Reply reply = Api.publish(body);
            assertEquals(200, reply.status(), reply.brief());
            Ledger.events(body).forEach(e -> acknowledged.add(e.getString("event_id")));
        }
    }

    /** Every event of the topic, paging GET /events to the end: the feed order. */
    private static List<JsonObject> feed(String topic) {
        List<JsonObject> events = new ArrayList<>();
        String after = "";
        while (after != null) {
            Reply page = Api.get("/events?topic=" + encode(topic) + "&limit=1000&after=" + after);
            page.array("events").getValuesAs(JsonValue::asJsonObject).forEach(events::add);
            after = page.json().isNull("next") ? null : page.json().getString("next");
        }
        return events;
    }

}
