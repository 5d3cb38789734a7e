package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /events filters by topic and source, pages through arrival order with an opaque cursor, and lets a reader go
 * on later from where it was.
 */
@MicroShedTest
class EventsQueryIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void pagesThroughATopicInArrivalOrder() {
        String topic = freshTopic("pages");
        List<String> published = IntStream.range(0, 25).mapToObj(i -> "e-" + i).toList();
        Api.publish(Api.batch(published.stream().map(id -> event(topic, id)).toArray(JsonObject[]::new)));

        List<String> read = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        long lastSeq = 0;
        String query = "/events?limit=10&topic=" + Api.encode(topic);
        String cursor = null;
        do {
            Reply page = Api.get(query + (cursor == null ? "" : "&after=" + cursor));
            assertEquals(200, page.status(), () -> String.valueOf(page.body()));
            pageSizes.add(page.array("events").size());
            for (JsonObject e : page.array("events").getValuesAs(JsonValue::asJsonObject)) {
                assertTrue(e.getJsonNumber("seq").longValue() > lastSeq, "seq must increase");
                lastSeq = e.getJsonNumber("seq").longValue();
                read.add(e.getString("event_id"));
            }
            cursor = page.json().isNull("next") ? null : page.json().getString("next");
        } while (cursor != null);

        assertEquals(published, read);
        assertEquals(List.of(10, 10, 5), pageSizes);
    }

    @Test
    void aReaderGoesOnFromItsCursorAndGetsOnlyWhatWasStoredSince() {
        String topic = freshTopic("follow");
        String query = "/events?topic=" + Api.encode(topic);
        Api.publish(Api.batch(event(topic, "e-0"), event(topic, "e-1")));

        Reply read = Api.get(query);
        assertEquals(List.of("e-0", "e-1"), ids(read));
        assertTrue(read.json().isNull("next"), "no next page yet");
        String cursor = read.json().getString("cursor");
        Reply nothingNew = Api.get(query + "&after=" + cursor);
        assertEquals(List.of(), ids(nothingNew));
        assertEquals(cursor, nothingNew.json().getString("cursor"), "an empty page keeps the reader's place");

        Api.publish(Api.batch(event(topic, "e-1"), event(topic, "e-2")));
        assertEquals(List.of("e-2"), ids(Api.get(query + "&after=" + cursor)), "the duplicate is not stored again");
    }

    @Test
    void pagesNewestFirstWithOrderDesc() {
        String topic = freshTopic("newest");
        Api.publish(Api.batch(IntStream.range(0, 5).mapToObj(i -> event(topic, "e-" + i)).toArray(JsonObject[]::new)));
        String query = "/events?order=desc&limit=3&topic=" + Api.encode(topic);

        Reply first = Api.get(query);
        assertEquals(List.of("e-4", "e-3", "e-2"), ids(first));
        Reply second = Api.get(query + "&after=" + first.json().getString("next"));
        assertEquals(List.of("e-1", "e-0"), ids(second));
        assertTrue(second.json().isNull("next"));
    }

    private static List<String> ids(Reply page) {
        assertEquals(200, page.status(), () -> String.valueOf(page.body()));
        return page.array("events").getValuesAs(JsonValue::asJsonObject).stream()
                .map(e -> e.getString("event_id")).toList();
    }

    @Test
    void filtersBySource() {
        String topic = freshTopic("source");
        Api.publish(Api.batch(event(topic, "from-it"),
                Json.createObjectBuilder(event(topic, "from-elsewhere")).add("source", "elsewhere").build()));

        var events = Api.get("/events?source=elsewhere&topic=" + Api.encode(topic)).array("events");
        assertEquals(1, events.size());
        assertEquals("from-elsewhere", events.getJsonObject(0).getString("event_id"));
    }

    @Test
    void aSourceFilterNeedsATopic() {
        Reply reply = Api.get("/events?source=elsewhere");

        assertEquals(400, reply.status());
        assertEquals("application/problem+json", reply.contentType());
        assertTrue(reply.json().getString("detail").contains("source needs topic"), reply.brief());
    }

    @Test
    void returnsAnEventAsPublishedWithItsInstantInUtc() {
        String topic = freshTopic("roundtrip");
        JsonObject payload = Json.createObjectBuilder().add("nested", Json.createObjectBuilder()
                .add("list", Json.createArrayBuilder().add(1).add("two").add(JsonValue.TRUE))).add("ünï", "ç☃").build();
        Api.publish(Json.createObjectBuilder(event(topic, "rt")).add("timestamp", "2026-11-21T12:15:30.123456+02:00")
                .add("payload", payload).build().toString());

        Reply reply = Api.get("/events/" + Api.encode(topic) + "/rt");
        assertEquals(200, reply.status());
        assertEquals("2026-11-21T10:15:30.123456Z", reply.json().getString("timestamp"));
        assertEquals(payload, reply.json().getJsonObject("payload"));
        assertEquals("it", reply.json().getString("source"));
        assertTrue(reply.json().containsKey("received_at") && reply.json().containsKey("seq"));
    }

    @Test
    void unknownEventIsNotFoundAsProblem() {
        Reply reply = Api.get("/events/" + Api.encode(freshTopic("none")) + "/missing");
        assertEquals(404, reply.status());
        assertTrue(reply.contentType().startsWith("application/problem+json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=-5", "limit=ten", "after=forged", "after=djE6LTE",
            "topic=%20", "topic=a%00b", "order=newest"})
    void badParametersAreRefused(String query) {
        Reply reply = Api.get("/events?" + query);
        assertEquals(400, reply.status(), () -> query + " -> " + reply.body());
        assertEquals("urn:problem:liberty-event-aggregator:invalid-parameter", reply.json().getString("type"));
    }
}
