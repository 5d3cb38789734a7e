package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The W3C trace context an event is published in is kept with it and shown wherever the event is read: from the
 * {@code traceparent} and {@code tracestate} headers of a plain JSON request (for each of its events), from a
 * CloudEvent's distributed-tracing extension in structured and binary mode (broker/AsyncTraceContextIT: through the
 * broker; subscriptions/WebhookTraceContextIT: on to webhooks). An invalid
 * {@code traceparent} is ignored, not refused. The oracle is the trace context the test sent.
 */
@MicroShedTest
class TraceContextIT {

    private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String OTHER_PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
    private static final String STATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    private static JsonObject stored(String topic, String eventId) {
        Reply reply = Api.get("/events/" + Api.encode(topic) + "/" + Api.encode(eventId));
        assertEquals(200, reply.status(), reply.brief());
        return reply.json();
    }

    private static void assertTrace(String traceparent, String tracestate, JsonObject event) {
        assertEquals(traceparent == null ? JsonValue.NULL : Json.createValue(traceparent), event.get("traceparent"),
                event::toString);
        assertEquals(tracestate == null ? JsonValue.NULL : Json.createValue(tracestate), event.get("tracestate"),
                event::toString);
    }

    @Test
    void aPlainRequestsTraceContextIsKeptWithEachOfItsEvents() {
        String topic = Api.freshTopic("trace");
        Reply reply = Api.publishWithHeaders("application/json",
                Api.batch(Api.event(topic, "a"), Api.event(topic, "b")),
                Map.of("traceparent", PARENT, "tracestate", STATE));
        assertEquals(200, reply.status(), reply.brief());

        for (String id : List.of("a", "b")) {
            JsonObject event = stored(topic, id);
            assertTrace(PARENT, STATE, event);
            assertEquals(JsonValue.NULL, event.get("cloudevents"), "a plain event is no CloudEvent: " + event);
        }
        Reply feed = Api.get("/events?topic=" + Api.encode(topic));
        assertEquals(200, feed.status(), feed.brief());
        assertEquals(2, feed.array("events").size(), feed.brief());
        feed.array("events").forEach(event -> assertTrace(PARENT, STATE, event.asJsonObject()));
    }

    @Test
    void anInvalidTraceparentIsIgnoredAndTheEventsStored() {
        String topic = Api.freshTopic("trace");
        for (String invalid : List.of("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01", "not-a-trace",
                PARENT.toUpperCase())) {
            Reply reply = Api.publishWithHeaders("application/json", Api.event(topic, invalid).toString(),
                    Map.of("traceparent", invalid, "tracestate", STATE));
            assertEquals(200, reply.status(), reply.brief());
            assertEquals("stored", reply.array("results").getJsonObject(0).getString("status"), reply.brief());
            assertTrace(null, null, stored(topic, invalid));
        }
        // A valid traceparent with an invalid tracestate keeps the traceparent alone.
        Reply reply = Api.publishWithHeaders("application/json", Api.event(topic, "bad-state").toString(),
                Map.of("traceparent", PARENT, "tracestate", "Not=Valid"));
        assertEquals(200, reply.status(), reply.brief());
        assertTrace(PARENT, null, stored(topic, "bad-state"));
    }

    @Test
    void anEventWithoutTraceContextShowsNone() {
        String topic = Api.freshTopic("trace");
        Reply reply = Api.publish(Api.event(topic, "plain").toString());
        assertEquals(200, reply.status(), reply.brief());
        assertTrace(null, null, stored(topic, "plain"));
    }

    @Test
    void aStructuredCloudEventsTracingExtensionIsItsTraceContext() {
        String type = Api.freshTopic("trace-ce");
        String event = "{\"specversion\":\"1.0\",\"id\":\"s-1\",\"source\":\"/it\",\"type\":\"" + type + "\","
                + "\"time\":\"2026-11-21T10:00:00Z\",\"traceparent\":\"" + PARENT + "\",\"tracestate\":\"" + STATE
                + "\",\"data\":{\"n\":1}}";
        // The request's own trace context is the transport's: the event's extension wins over it.
        Reply reply = Api.publishWithHeaders("application/cloudevents+json", event,
                Map.of("traceparent", OTHER_PARENT));
        assertEquals(200, reply.status(), reply.brief());

        JsonObject stored = stored(type, "s-1");
        assertTrace(PARENT, STATE, stored);
        assertEquals(PARENT, stored.getJsonObject("cloudevents").getString("traceparent"), stored::toString);
        assertEquals(STATE, stored.getJsonObject("cloudevents").getString("tracestate"), stored::toString);
    }

    @Test
    void aBinaryCloudEventsTraceparentHeaderIsItsTraceContext() {
        String type = Api.freshTopic("trace-ce");
        Reply reply = Api.publishWithHeaders("application/json", "{\"n\":1}", Map.of("ce-specversion", "1.0",
                "ce-id", "b-1", "ce-source", "/it", "ce-type", type, "ce-time", "2026-11-21T10:00:00Z",
                "ce-traceparent", PARENT, "traceparent", OTHER_PARENT));
        assertEquals(200, reply.status(), reply.brief());
        assertTrace(PARENT, null, stored(type, "b-1"));

        // A CloudEvent without the extension is in the request's trace context.
        Reply untraced = Api.publishWithHeaders("application/json", "{\"n\":2}", Map.of("ce-specversion", "1.0",
                "ce-id", "b-2", "ce-source", "/it", "ce-type", type, "ce-time", "2026-11-21T10:00:00Z",
                "traceparent", OTHER_PARENT));
        assertEquals(200, untraced.status(), untraced.brief());
        assertTrace(OTHER_PARENT, null, stored(type, "b-2"));
    }
}
