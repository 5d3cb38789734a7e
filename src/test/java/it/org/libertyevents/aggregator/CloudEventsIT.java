package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CloudEvents 1.0 over HTTP at POST /publish: structured, batched and binary mode, the topic taken from the type
 * attribute, the other attributes kept and returned by GET /events, and the same all-or-nothing validation.
 */
@MicroShedTest
class CloudEventsIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    private static String cloudEvent(String type, String id, String extra) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/it/shop\",\"type\":\"" + type + "\","
                + "\"time\":\"2026-11-21T10:00:00Z\",\"subject\":\"cart-7\"" + extra + ",\"data\":{\"id\":\"" + id
                + "\"}}";
    }

    private static String freshType() {
        return "it.cloudevents." + UUID.randomUUID();
    }

    @Test
    void structuredModeStoresTheEventUnderItsTypeWithItsAttributes() {
        String type = freshType();
        Reply reply = Api.publish("application/cloudevents+json; charset=utf-8",
                cloudEvent(type, "c-1", ",\"traceparent\":\"00-4bf92f\",\"priority\":2"));

        assertEquals(200, reply.status(), reply.brief());
        assertEquals("stored", reply.array("results").getJsonObject(0).getString("status"));
        JsonObject stored = Api.get("/events/" + Api.encode(type) + "/c-1").json();
        assertEquals("/it/shop", stored.getString("source"));
        assertEquals("c-1", stored.getJsonObject("payload").getString("id"));
        JsonObject attributes = stored.getJsonObject("cloudevents");
        assertEquals("1.0", attributes.getString("specversion"));
        assertEquals(type, attributes.getString("type"));
        assertEquals("cart-7", attributes.getString("subject"));
        assertEquals("00-4bf92f", attributes.getString("traceparent"));
        assertEquals(2, attributes.getInt("priority"));
    }

    @Test
    void batchedModeGivesAVerdictPerEvent() {
        String type = freshType();
        String batch = "[" + cloudEvent(type, "1", "") + "," + cloudEvent(type, "2", "") + ","
                + cloudEvent(type, "1", "") + "]";
        Reply reply = Api.publish("application/cloudevents-batch+json", batch);

        assertEquals(200, reply.status(), reply.brief());
        assertEquals(2, reply.json().getInt("stored"));
        assertEquals(1, reply.json().getInt("duplicates"));
        assertArrayEquals(new long[] {2, 1}, Api.topicCounts(type));
    }

    @Test
    void binaryModeTakesTheAttributesFromHeaders() {
        String type = freshType();
        Reply reply = Api.publishWithHeaders("application/json", "{\"amount\":5}", Map.of(
                "ce-specversion", "1.0", "ce-id", "b-1", "ce-source", "/it/pos", "ce-type", type,
                "ce-time", "2026-11-21T10:00:00Z", "ce-subject", "caf%C3%A9"));

        assertEquals(200, reply.status(), reply.brief());
        JsonObject stored = Api.get("/events/" + Api.encode(type) + "/b-1").json();
        assertEquals(5, stored.getJsonObject("payload").getInt("amount"));
        assertEquals("café", stored.getJsonObject("cloudevents").getString("subject"));
    }

    @Test
    void anInvalidCloudEventInABatchRefusesTheWholeBatch() {
        String type = freshType();
        String batch = "[" + cloudEvent(type, "ok", "") + ","
                + "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"" + type + "\",\"data\":{}}]";
        Reply reply = Api.publish("application/cloudevents-batch+json", batch);

        assertEquals(422, reply.status());
        assertEquals("application/problem+json", reply.contentType());
        JsonObject error = reply.array("errors").getJsonObject(0);
        assertEquals(1, error.getInt("index"));
        assertEquals("time", error.getString("field"));
        assertEquals("/1/time", error.getString("pointer"));
        assertArrayEquals(new long[] {0, 0}, Api.topicCounts(type), "nothing of the batch was stored");

        Reply binary = Api.publishWithHeaders("application/json", "{}", Map.of("ce-specversion", "1.0",
                "ce-id", "y", "ce-source", "/s", "ce-time", "2026-11-21T10:00:00Z"));
        assertEquals(422, binary.status());
        assertTrue(binary.body().toString().contains("ce-type"), binary.brief());
    }

    /**
     * An extension attribute holding a number outside PostgreSQL's numeric type is refused like such a number in
     * data (it used to reach the jsonb cast: 500 on PostgreSQL, and its group had to be committed again without
     * it), and valid requests sent at the same moment, which share its group commit, are stored.
     */
    @Test
    void anExtensionNumberOutOfRangeIsRefusedAndItsNeighboursStillCommit() {
        String type = freshType();
        List<CompletableFuture<Reply>> valid = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(
                () -> Api.publish("application/cloudevents+json", cloudEvent(type, "ok-" + i, ",\"ext\":" + i))))
                .toList();
        List<CompletableFuture<Reply>> invalid = List.of("1e999999", "-1e999999", "1e-999999").stream()
                .map(number -> CompletableFuture.supplyAsync(() -> Api.publish("application/cloudevents+json",
                        cloudEvent(type, "bad-" + number, ",\"ext\":" + number))))
                .toList();

        for (CompletableFuture<Reply> future : invalid) {
            Reply reply = future.join();
            assertEquals(422, reply.status(), reply.brief());
            assertEquals("ext", reply.array("errors").getJsonObject(0).getString("field"), reply.brief());
        }
        valid.forEach(future -> assertEquals(200, future.join().status(), future.join().brief()));
        assertArrayEquals(new long[] {8, 0}, Api.topicCounts(type));
        assertEquals(404, Api.get("/events/" + Api.encode(type) + "/bad-1e999999").status());
    }
}
