package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.stream.Stream;

import static it.org.libertyevents.aggregator.support.Api.batch;
import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every class of bad input gets its 4xx as RFC 9457 problem+json, and nothing of the request is stored or
 * counted: each bad request also carries a valid event, which must not appear.
 */
@MicroShedTest
class ValidationIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("malformed JSON", 400, null, topic -> batch(event(topic, "ok")).replace("}]", "}")),
                bad("wrong content type", 415, "text/plain", topic -> batch(event(topic, "ok"))),
                bad("missing field in batch index 1", 422, null, topic -> batch(event(topic, "ok"),
                        Json.createObjectBuilder(event(topic, "bad")).remove("event_id").build())),
                bad("zone-less timestamp", 422, null, topic -> batch(event(topic, "ok"),
                        Json.createObjectBuilder(event(topic, "bad")).add("timestamp", "2026-11-21T10:15:30").build())),
                bad("blank source", 422, null, topic -> batch(event(topic, "ok"),
                        Json.createObjectBuilder(event(topic, "bad")).add("source", "  ").build())),
                bad("payload not an object", 422, null, topic -> batch(event(topic, "ok"),
                        Json.createObjectBuilder(event(topic, "bad")).add("payload", "text").build())),
                bad("payload over 64 KiB", 422, null, topic -> batch(event(topic, "ok"),
                        Json.createObjectBuilder(event(topic, "bad")).add("payload",
                                Json.createObjectBuilder().add("blob", "x".repeat(70_000))).build())),
                bad("batch over 10,000 events", 413, null, topic -> batch(Stream.concat(Stream.of(event(topic, "ok")),
                        Stream.generate(() -> event(topic, "many")).limit(10_000)).toArray(JsonObject[]::new))),
                bad("body over 10 MiB", 413, null, topic -> batch(Json.createObjectBuilder(event(topic, "ok"))
                        .add("padding", "p".repeat(11 * 1024 * 1024)).build())));
    }

    private static Arguments bad(String name, int status, String contentType, Function<String, String> body) {
        return Arguments.of(name, status, contentType == null ? "application/json" : contentType, body);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badRequests")
    void refusedWholeWithProblemDetails(String name, int status, String contentType, Function<String, String> body) {
        String topic = freshTopic("invalid");
        long receivedBefore = Api.stats().getJsonNumber("received").longValue();

        Reply reply = Api.publish(contentType, body.apply(topic));

        assertEquals(status, reply.status(), () -> name + ": " + reply.body());
        assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
        assertEquals(status, reply.json().getInt("status"));
        assertTrue(reply.json().getString("type").startsWith("urn:problem:"), reply.json().toString());
        assertEquals(404, Api.get("/events/" + Api.encode(topic) + "/ok").status());
        assertArrayEquals(new long[] {0, 0}, Api.topicCounts(topic));
        assertEquals(receivedBefore, Api.stats().getJsonNumber("received").longValue());
    }

    @Test
    void schemaErrorsNameTheBatchIndexAndField() {
        String topic = freshTopic("pointer");
        Reply reply = Api.publish(batch(event(topic, "ok"), event(topic, "ok2"),
                Json.createObjectBuilder(event(topic, "bad")).add("topic", 42).remove("source").build()));

        assertEquals(422, reply.status());
        var errors = reply.array("errors");
        assertEquals(2, errors.size(), errors.toString());
        assertEquals("/2/topic", errors.getJsonObject(0).getString("pointer"));
        assertEquals(2, errors.getJsonObject(0).getInt("index"));
        assertEquals("topic", errors.getJsonObject(0).getString("field"));
        assertEquals("/2/source", errors.getJsonObject(1).getString("pointer"));
    }

    @Test
    void emptyBatchIsUnprocessable() {
        Reply reply = Api.publish("[]");
        assertEquals(422, reply.status());
        assertEquals("urn:problem:liberty-event-aggregator:invalid-events", reply.json().getString("type"));
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = "{\"topic\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        Reply reply = Api.publishBytes(body);
        assertEquals(400, reply.status());
        assertEquals("urn:problem:liberty-event-aggregator:malformed-json", reply.json().getString("type"));
    }
}
