package it.org.libertyevents.aggregator.subscriptions;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.WebhookReceiver;
import it.org.libertyevents.aggregator.support.WebhookReceiver.Answer;
import it.org.libertyevents.aggregator.support.WebhookReceiver.Attempt;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static it.org.libertyevents.aggregator.subscriptions.Webhooks.subscribe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks pass the W3C trace context an event was published in on to the receiver: as the {@code traceparent} and
 * {@code tracestate} headers of a single event's POST, and of a batch's when all its events share one; in every
 * event's view in the body. The oracle is the trace context the test published each event with.
 */
@MicroShedTest
class WebhookTraceContextIT {

    private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String OTHER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    private static final String STATE = "rojo=00f067aa0ba902b7";
    private static final Duration DELIVERED = Duration.ofSeconds(60);
    private static String base;

    @BeforeAll
    static void ready() {
        Api.awaitReady();
        base = Api.baseUrl();
    }

    @AfterEach
    void deleteSubscriptions() {
        Webhooks.deleteMade(base);
    }

    private static void publish(String topic, String id, Map<String, String> headers) {
        Reply reply = Api.publishWithHeadersTo(base, "application/json", Api.event(topic, id).toString(), headers);
        assertEquals(200, reply.status(), reply.brief());
    }

    /** The events' trace context as each view in the body says, by event id. */
    private static Map<String, String> bodyTraces(List<Attempt> attempts) {
        Map<String, String> traces = new HashMap<>();
        attempts.forEach(attempt -> attempt.events().forEach(event -> traces.put(event.getString("event_id"),
                event.isNull("traceparent") ? null : event.getString("traceparent"))));
        return traces;
    }

    @Test
    void aSingleEventsPostCarriesItsTraceContextHeaders() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> Answer.TAKE, 0)) {
            String topic = Api.freshTopic("webhook-trace");
            subscribe(base, receiver, topic, Json.createObjectBuilder());
            publish(topic, "traced", Map.of("traceparent", PARENT, "tracestate", STATE));
            publish(topic, "other", Map.of("traceparent", OTHER));
            publish(topic, "untraced", Map.of());

            await().atMost(DELIVERED).until(() -> receiver.taken().size() >= 3);
            Map<String, Attempt> byEvent = new HashMap<>();
            receiver.taken().forEach(attempt -> byEvent.put(attempt.keys().get(0), attempt));
            Attempt traced = byEvent.get(topic + "/traced");
            assertEquals(PARENT, traced.traceparent());
            assertEquals(STATE, traced.tracestate());
            assertTrue(traced.signatureValid(), "still signed");
            assertEquals(OTHER, byEvent.get(topic + "/other").traceparent());
            assertNull(byEvent.get(topic + "/other").tracestate());
            assertNull(byEvent.get(topic + "/untraced").traceparent());
            assertNull(byEvent.get(topic + "/untraced").tracestate());
            assertEquals(Map.of("traced", PARENT, "other", OTHER), withoutNulls(bodyTraces(receiver.taken())));
        }
    }

    @Test
    void aBatchCarriesTheHeadersOnlyWhenItsEventsShareOneTraceContext() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> Answer.TAKE, 0)) {
            String shared = Api.freshTopic("webhook-trace-batch");
            subscribe(base, receiver, shared, Json.createObjectBuilder().add("batch_size", 10));
            Reply reply = Api.publishWithHeadersTo(base, "application/json",
                    Api.batch(Api.event(shared, "1"), Api.event(shared, "2"), Api.event(shared, "3")),
                    Map.of("traceparent", PARENT, "tracestate", STATE));
            assertEquals(200, reply.status(), reply.brief());
            await().atMost(DELIVERED).until(() -> Webhooks.firstTaken(receiver.taken()).size() >= 3);
            for (Attempt attempt : receiver.taken()) {
                assertEquals(PARENT, attempt.traceparent(), attempt.keys()::toString);
                assertEquals(STATE, attempt.tracestate(), attempt.keys()::toString);
            }
            assertEquals(Map.of("1", PARENT, "2", PARENT, "3", PARENT), bodyTraces(receiver.taken()));
        }
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> Answer.TAKE, 0)) {
            String mixed = Api.freshTopic("webhook-trace-mixed");
            subscribe(base, receiver, mixed, Json.createObjectBuilder().add("batch_size", 10));
            String batch = "[" + cloudEvent(mixed, "1", PARENT) + "," + cloudEvent(mixed, "2", OTHER) + "]";
            Reply reply = Api.publish("application/cloudevents-batch+json", batch);
            assertEquals(200, reply.status(), reply.brief());
            await().atMost(DELIVERED).until(() -> Webhooks.firstTaken(receiver.taken()).size() >= 2);
            for (Attempt attempt : receiver.taken()) {
                if (attempt.events().size() > 1) {
                    assertNull(attempt.traceparent(), "events of two traces: no header");
                }
            }
            assertTrue(receiver.taken().stream().anyMatch(attempt -> attempt.events().size() == 2),
                    "the two events, committed together, make one batch");
            assertEquals(Map.of("1", PARENT, "2", OTHER), bodyTraces(receiver.taken()));
        }
    }

    private static String cloudEvent(String type, String id, String traceparent) {
        JsonObject event = Json.createObjectBuilder().add("specversion", "1.0").add("id", id).add("source", "/it")
                .add("type", type).add("time", "2026-11-21T10:00:00Z").add("traceparent", traceparent)
                .add("data", Json.createObjectBuilder().add("id", id)).build();
        return event.toString();
    }

    private static Map<String, String> withoutNulls(Map<String, String> map) {
        Map<String, String> kept = new HashMap<>(map);
        kept.values().removeIf(Objects::isNull);
        return kept;
    }
}
