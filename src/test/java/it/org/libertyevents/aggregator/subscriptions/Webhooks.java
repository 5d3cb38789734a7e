package it.org.libertyevents.aggregator.subscriptions;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.WebhookReceiver;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** What the webhook tests share: making subscriptions, reading the feed they must follow, checking deliveries. */
final class Webhooks {

    private static final List<String> made = new ArrayList<>();

    private Webhooks() {
    }

    /** Deletes the subscriptions {@link #subscribe} made (a test that deleted one already is fine). */
    static synchronized void deleteMade(String base) {
        made.forEach(id -> Api.deleteAt(base, "/subscriptions/" + id, Map.of()));
        made.clear();
    }

    /** Subscribes the receiver to {@code topic} at {@code base}, and gives the receiver the secret it got. */
    static JsonObject subscribe(String base, WebhookReceiver receiver, String topic, JsonObjectBuilder extra) {
        JsonObject body = extra.add("url", receiver.url()).add("topics", Json.createArrayBuilder().add(topic))
                .build();
        Reply reply = Api.sendTo(base, "POST", "/subscriptions", body.toString());
        assertEquals(201, reply.status(), reply.brief());
        String secret = reply.json().getString("secret");
        assertTrue(secret.startsWith("whsec_"), reply.brief());
        receiver.secret(secret);
        synchronized (Webhooks.class) {
            made.add(reply.json().getString("id"));
        }
        return reply.json();
    }

    static JsonObject subscription(String base, String id) {
        Reply reply = Api.getFrom(base, "/subscriptions/" + id);
        assertEquals(200, reply.status(), reply.brief());
        return reply.json();
    }

    /** The keys of a topic's stored events in feed order, read page by page through GET /events. */
    static List<String> feed(String base, String topic) {
        List<String> keys = new ArrayList<>();
        String after = "";
        while (true) {
            Reply page = Api.getFrom(base, "/events?limit=1000&topic=" + Api.encode(topic) + after);
            assertEquals(200, page.status(), page.brief());
            for (JsonValue event : page.array("events")) {
                keys.add(topic + "/" + event.asJsonObject().getString("event_id"));
            }
            JsonValue next = page.json().get("next");
            if (next == null || next == JsonValue.NULL) {
                return keys;
            }
            after = "&after=" + page.json().getString("next");
        }
    }

    /** Publishes {@code count} events with every fifth a duplicate; returns the unique keys acknowledged. */
    static Set<String> publish(String base, String topic, int count, int batch) {
        Set<String> acknowledged = new LinkedHashSet<>();
        for (int first = 0; first < count; first += batch) {
            Reply reply = Api.publishTo(base, Api.batchWithDuplicates(topic, "e", first, batch), false);
            assertEquals(200, reply.status(), reply.brief());
            for (JsonValue result : reply.array("results")) {
                acknowledged.add(topic + "/" + result.asJsonObject().getString("event_id"));
            }
        }
        return acknowledged;
    }

    /** The keys taken, in order of their first delivery. */
    static List<String> firstTaken(List<WebhookReceiver.Attempt> taken) {
        Set<String> seen = new LinkedHashSet<>();
        taken.forEach(attempt -> seen.addAll(attempt.keys()));
        return List.copyOf(seen);
    }

    /**
     * Every attempt was signed with the subscription's secret, and carried the same webhook-id whenever it carried
     * the same events (and another one for other events).
     */
    static void assertSignedWithStableIds(List<WebhookReceiver.Attempt> attempts) {
        Map<String, List<String>> byId = new HashMap<>();
        Map<List<String>, String> byEvents = new HashMap<>();
        for (WebhookReceiver.Attempt attempt : attempts) {
            if (!attempt.signatureValid()) {
                fail("attempt " + attempt.webhookId() + " at " + attempt.timestamp() + " has no valid signature: "
                        + attempt.signatures());
            }
            List<String> was = byId.putIfAbsent(attempt.webhookId(), attempt.keys());
            assertTrue(was == null || was.equals(attempt.keys()), "webhook-id " + attempt.webhookId()
                    + " carried " + was + " and then " + attempt.keys());
            String id = byEvents.putIfAbsent(attempt.keys(), attempt.webhookId());
            assertTrue(id == null || id.equals(attempt.webhookId()), attempt.keys() + " came as " + id + " and as "
                    + attempt.webhookId());
        }
    }
}
