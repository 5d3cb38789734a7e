package it.org.libertyevents.aggregator.postgres;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.PublisherRuns;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.List;
import java.util.Map;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance started with API_KEYS: publishing and reads without a valid key get 401 and store nothing, the
 * operational endpoints stay open, Idempotency-Keys are scoped per API key, and the publisher WAR sends its
 * AGGREGATOR_API_KEY. No response names the server software.
 */
@MicroShedTest
class ApiKeysIT {

    private static final int INSTANCE = 4;
    private static String secured;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        secured = Instances.start(INSTANCE, Map.of("API_KEYS", "first-key, second-key",
                "AGGREGATOR_API_KEY", "second-key"));
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    @Test
    void publishingNeedsAValidKeyAndNothingIsStoredWithout() {
        String topic = freshTopic("api-key");
        String body = Api.batch(event(topic, "1"));

        Reply anonymous = publish(body, Map.of());
        assertEquals(401, anonymous.status());
        assertEquals("application/problem+json", anonymous.contentType());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, publish(body, Map.of("Authorization", "Bearer wrong-key")).status());
        assertEquals(401, publish(body, Map.of("X-API-Key", "first-key-but-longer")).status());
        assertArrayEquals(new long[] {0, 0}, Api.topicCounts(topic), "nothing of a refused request is stored");

        assertEquals(200, publish(body, Map.of("Authorization", "Bearer first-key")).status());
        assertEquals(200, publish(Api.batch(event(topic, "2")), Map.of("X-API-Key", "second-key")).status());
        assertArrayEquals(new long[] {2, 0}, Api.topicCounts(topic));
    }

    @Test
    void readsNeedAKeyByDefaultAndOperationalEndpointsStayOpenAndNameNoServer() {
        for (String path : List.of("/stats", "/events?limit=1", "/conflicts?limit=1")) {
            Reply anonymous = Api.getFrom(secured, path);
            assertEquals(401, anonymous.status(), path + " is open without API_KEYS_PROTECT_READS=false");
            assertEquals(200, Api.getFrom(secured, path, Map.of("X-API-Key", "first-key")).status(), path);
        }
        for (String path : List.of("/health/ready", "/metrics", "/")) {
            Reply reply = Api.getFrom(secured, path);
            assertEquals(200, reply.status(), path);
            assertFalse(reply.headers().firstValue("Server").isPresent(), path + " names the server");
            assertFalse(reply.headers().firstValue("X-Powered-By").isPresent(), path);
            assertEquals("nosniff", reply.headers().firstValue("X-Content-Type-Options").orElse(""), path);
        }
        JsonObject access = Api.getFrom(secured, "/stats", Map.of("X-API-Key", "first-key")).json()
                .getJsonObject("access");
        assertEquals("api_key", access.getString("publishing"));
        assertEquals("api_key", access.getString("reads"));
        assertTrue(Api.getFrom(secured, "/health/ready").body().toString().contains("\"publishing\":\"api_key\""));
        Reply refused = publish("{}", Map.of());
        assertFalse(refused.body().toString().contains("at org."), "no stack trace in an error");
        assertFalse(refused.headers().firstValue("Server").isPresent());
        assertEquals(List.of("nosniff"), refused.headers().allValues("X-Content-Type-Options"));
    }

    /** One client's Idempotency-Key is its own: another client with another key cannot claim or replay it. */
    @Test
    void idempotencyKeysAreScopedPerApiKey() {
        String topic = freshTopic("api-key-idempotency");
        String key = "\"order-" + topic + "\"";
        Reply first = publish(Api.batch(event(topic, "1")), Map.of("X-API-Key", "first-key", "Idempotency-Key", key));
        assertEquals(200, first.status(), first.brief());

        Reply other = publish(Api.batch(event(topic, "2")),
                Map.of("Authorization", "Bearer second-key", "Idempotency-Key", key));
        assertEquals(200, other.status(), "the same Idempotency-Key from another client is its own: " + other.brief());
        assertFalse(other.headers().firstValue("Idempotent-Replayed").isPresent(), "never another client's answer");

        Reply replay = publish(Api.batch(event(topic, "1")), Map.of("X-API-Key", "first-key", "Idempotency-Key", key));
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""), replay.brief());
        assertEquals(422, publish(Api.batch(event(topic, "3")),
                Map.of("X-API-Key", "first-key", "Idempotency-Key", key)).status(), "still one request per key");
        assertArrayEquals(new long[] {2, 0}, Api.topicCounts(topic));
    }

    @Test
    void thePublisherSendsItsKey() {
        // The publisher's runs are behind the same keys.
        Map<String, String> key = Map.of("X-API-Key", "first-key");
        JsonObject run = PublisherRuns.awaitFinished(PublisherRuns.start(secured, Json.createObjectBuilder()
                .add("count", 200).add("batch_size", 50).add("target", secured).build(), key), key);
        assertEquals("succeeded", run.getString("state"), run.toString());
        assertTrue(run.getJsonObject("audit").getBoolean("exactly_once"), run.toString());
    }

    private static Reply publish(String body, Map<String, String> headers) {
        return Api.publishWithHeadersTo(secured, "application/json", body, headers);
    }
}
