package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An asynchronous publish ({@code Prefer: respond-async}) keeps the request's W3C trace context with its events
 * through the Redis stream into the store, as the synchronous path does (TraceContextIT).
 */
@MicroShedTest
class AsyncTraceContextIT {

    private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String STATE = "rojo=00f067aa0ba902b7";

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void theTraceContextTravelsThroughTheBroker() {
        String topic = Api.freshTopic("trace-async");
        Reply reply = Api.publishWithHeaders("application/json", Api.batch(Api.event(topic, "q"),
                        Api.event(topic, "r")),
                Map.of("traceparent", PARENT, "tracestate", STATE, "Prefer", "respond-async"));
        assertEquals(202, reply.status(), reply.brief());

        for (String id : new String[] {"q", "r"}) {
            String path = "/events/" + Api.encode(topic) + "/" + id;
            await().atMost(Duration.ofSeconds(60)).until(() -> Api.get(path).status() == 200);
            JsonObject event = Api.get(path).json();
            assertEquals(PARENT, event.getString("traceparent"), event::toString);
            assertEquals(STATE, event.getString("tracestate"), event::toString);
        }
        // And an untraced event next to them still has none.
        String untraced = "/events/" + Api.encode(topic) + "/u";
        assertEquals(202, Api.publishTo(Api.baseUrl(), Api.event(topic, "u").toString(), true).status());
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.get(untraced).status() == 200);
        assertTrue(Api.get(untraced).json().isNull("traceparent"), () -> Api.get(untraced).brief());
    }
}
