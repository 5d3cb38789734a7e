package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.WebhookReceiver;
import it.org.libertyevents.aggregator.support.WebhookReceiver.Answer;
import it.org.libertyevents.aggregator.support.WebhookReceiver.Attempt;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances share a database of their own; the one delivering a webhook subscription is killed (kill -9) in
 * the middle of it. The other takes the subscription's lease over once it runs out and delivers the rest: the
 * receiver gets every unique event the test published, in feed order, nothing missed. Redeliveries are allowed (at
 * least once), but only of what the dead instance had sent after its last recorded cursor.
 */
@MicroShedTest
class WebhookTakeoverIT {

    private static final int FIRST = 32;
    private static final int SECOND = 33;
    private static final String[] URLS = new String[2];

    @BeforeAll
    static void start() {
        Api.awaitReady();
        Map<String, String> env = Map.of("DB_URL", ItDatabase.freshDatabase("webhooks"),
                "BROKER_STREAM", FaultRun.stream("webhooks"), "SUBSCRIPTIONS_LEASE", "PT3S");
        URLS[0] = Instances.start(FIRST, env);
        URLS[1] = Instances.start(SECOND, env);
    }

    @AfterAll
    static void stop() {
        Instances.stop(SECOND);
        Instances.stop(FIRST);
    }

    @Test
    void anotherInstanceTakesOverTheSubscriptionOfAKilledOne() throws Exception {
        // A receiver that takes its time, so that the kill surely lands in the middle of the delivery.
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.TAKE;
        }, 0)) {
            String topic = Api.freshTopic("webhook-takeover");
            Reply made = Api.sendTo(URLS[0], "POST", "/subscriptions", Json.createObjectBuilder()
                    .add("url", receiver.url()).add("topics", Json.createArrayBuilder().add(topic)).build()
                    .toString());
            assertEquals(201, made.status(), made.brief());
            receiver.secret(made.json().getString("secret"));
            Set<String> acknowledged = new LinkedHashSet<>();
            for (int first = 0; first < 4_000; first += 500) {
                Reply reply = Api.publishTo(URLS[1], Api.batchWithDuplicates(topic, "e", first, 500), false);
                assertEquals(200, reply.status(), reply.brief());
                reply.array("results").forEach(r -> acknowledged.add(topic + "/"
                        + r.asJsonObject().getString("event_id")));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.taken().size() >= 600);
            int holder = await().atMost(Duration.ofSeconds(10)).until(WebhookTakeoverIT::holder, h -> h >= 0);
            Instances.kill(holder == 0 ? FIRST : SECOND);
            int killedAt = receiver.taken().size();
            String survivor = URLS[1 - holder];

            await().atMost(Duration.ofSeconds(120)).until(() -> firstTaken(receiver.taken()).size()
                    >= acknowledged.size());
            List<String> feed = feed(survivor, topic);
            List<Attempt> taken = receiver.taken();
            assertEquals(Set.copyOf(acknowledged), Set.copyOf(feed));
            assertEquals(feed, firstTaken(taken), "every event, in feed order, nothing else");
            assertTrue(killedAt < feed.size(), "killed before the end: " + killedAt);
            assertEquals(1, held(survivor), "the survivor holds the subscription");
            int redelivered = taken.size() - feed.size();
            assertTrue(redelivered <= 100 + 1, "at most a page delivered again: " + redelivered);
            assertTrue(taken.stream().allMatch(Attempt::signatureValid), "every delivery signed");
            System.out.printf("TAKEOVER killed the holder after %d deliveries; the survivor delivered the rest, "
                    + "%d again%n", killedAt, redelivered);
        }
    }

    /** Which instance (0 or 1) holds the subscription, by its held gauge; -1 while neither says so. */
    private static int holder() {
        for (int i = 0; i < 2; i++) {
            if (held(URLS[i]) == 1) {
                return i;
            }
        }
        return -1;
    }

    private static long held(String base) {
        return Api.metric(base, "aggregator_subscriptions_held");
    }

    private static List<String> firstTaken(List<Attempt> taken) {
        Set<String> seen = new LinkedHashSet<>();
        taken.forEach(attempt -> seen.addAll(attempt.keys()));
        return List.copyOf(seen);
    }

    private static List<String> feed(String base, String topic) {
        List<String> keys = new ArrayList<>();
        String after = "";
        while (true) {
            Reply page = Api.getFrom(base, "/events?limit=1000&topic=" + Api.encode(topic) + after);
            page.array("events").forEach(e -> keys.add(topic + "/" + e.asJsonObject().getString("event_id")));
            JsonValue next = page.json().get("next");
            if (next == null || next == JsonValue.NULL) {
                return keys;
            }
            after = "&after=" + page.json().getString("next");
        }
    }
}
