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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static it.org.libertyevents.aggregator.subscriptions.Webhooks.feed;
import static it.org.libertyevents.aggregator.subscriptions.Webhooks.firstTaken;
import static it.org.libertyevents.aggregator.subscriptions.Webhooks.subscribe;
import static it.org.libertyevents.aggregator.subscriptions.Webhooks.subscription;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhook delivery to a real receiver in this test, through failures it makes on purpose: each unique event arrives
 * at least once, in feed order, nothing else, every delivery signed, the same webhook-id on every retry. The oracle
 * is what the test published and had acknowledged, and the feed as {@code GET /events} pages it. The server's
 * retries, timeouts and retry horizon are shortened for tests (aggregator-war.xml).
 */
@MicroShedTest
class WebhooksIT {

    private static final Duration DELIVERED = Duration.ofSeconds(180);
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

    /** A repeat among the taken deliveries is of the one just before: a 2xx the sender did not see in time. */
    private static void assertTakenAgainOnlyRightAfter(List<Attempt> taken) {
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < taken.size(); i++) {
            List<String> keys = taken.get(i).keys();
            if (!seen.add(keys)) {
                assertEquals(taken.get(i - 1).keys(), keys, "taken again at " + i + ", not right after");
            }
        }
    }

    @Test
    void everyUniqueEventArrivesInFeedOrderThroughThirtyPercentFailures() throws Exception {
        Random random = new Random(18);
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> {
            double r;
            synchronized (random) {
                r = random.nextDouble();
            }
            return r < 0.14 ? Answer.FAIL_500 : r < 0.19 ? Answer.FAIL_429 : r < 0.2975 ? Answer.DROP
                    : r < 0.30 ? Answer.TOO_LATE : Answer.TAKE;
        }, 1_500)) {
            String topic = Api.freshTopic("webhooks");
            JsonObject made = subscribe(base, receiver, topic, Json.createObjectBuilder());
            Set<String> acknowledged = Webhooks.publish(base, topic, 2_500, 500);
            assertEquals(2_000, acknowledged.size(), "2,500 events, every fifth a duplicate");

            await().atMost(DELIVERED).pollInterval(Duration.ofMillis(500))
                    .until(() -> firstTaken(receiver.taken()).size() >= acknowledged.size());
            List<String> feedOrder = feed(base, topic);
            List<Attempt> attempts = receiver.attempts();
            List<Attempt> taken = receiver.taken();

            assertEquals(Set.copyOf(acknowledged), Set.copyOf(feedOrder), "the feed holds what was acknowledged");
            assertEquals(feedOrder, firstTaken(taken), "each event arrived, in feed order, and nothing else");
            Webhooks.assertSignedWithStableIds(attempts);
            assertTakenAgainOnlyRightAfter(taken);
            long failed = attempts.stream().filter(a -> a.answer() != Answer.TAKE).count();
            assertTrue(failed > 0.2 * attempts.size(), failed + " of " + attempts.size() + " attempts failed");

            String id = made.getString("id");
            JsonObject delivery = await().atMost(Duration.ofSeconds(30)).until(
                    () -> subscription(base, id).getJsonObject("delivery"),
                    d -> d.getJsonNumber("attempts").longValue() == receiver.attempts().size());
            assertEquals(0, delivery.getJsonNumber("lag_events").longValue(), delivery.toString());
            assertTrue(delivery.getJsonNumber("delivered").longValue() >= 2_000, delivery.toString());
            assertTrue(delivery.isNull("next_attempt_at"), delivery.toString());
            assertTrue(!subscription(base, id).containsKey("secret"), "the secret is shown only once");
            System.out.printf("WEBHOOKS %d unique events delivered through %d attempts (%d failed), %d taken twice%n",
                    feedOrder.size(), attempts.size(), failed, taken.size() - feedOrder.size());
        }
    }

    @Test
    void batchesCarryTheFeedInOrder() throws Exception {
        Random random = new Random(7);
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> {
            synchronized (random) {
                return random.nextDouble() < 0.2 ? Answer.FAIL_500 : Answer.TAKE;
            }
        }, 0)) {
            String topic = Api.freshTopic("webhook-batches");
            subscribe(base, receiver, topic, Json.createObjectBuilder().add("batch_size", 100));
            Set<String> acknowledged = Webhooks.publish(base, topic, 1_250, 250);

            await().atMost(DELIVERED).until(() -> firstTaken(receiver.taken()).size() >= acknowledged.size());
            List<Attempt> taken = receiver.taken();
            List<String> concatenated = new ArrayList<>();
            taken.forEach(attempt -> concatenated.addAll(attempt.keys()));
            assertEquals(feed(base, topic), concatenated, "batches hold the feed in order, each once");
            assertTrue(taken.stream().allMatch(a -> a.events().size() <= 100), "at most batch_size per POST");
            assertTrue(taken.stream().anyMatch(a -> a.events().size() > 1), "batches of more than one event");
            Webhooks.assertSignedWithStableIds(receiver.attempts());
        }
    }

    @Test
    void aRetryWaitsForRetryAfter() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        try (WebhookReceiver receiver = new WebhookReceiver(
                attempt -> first.getAndSet(false) ? Answer.FAIL_503_RETRY_AFTER_2 : Answer.TAKE, 0)) {
            String topic = Api.freshTopic("webhook-retry-after");
            subscribe(base, receiver, topic, Json.createObjectBuilder());
            Webhooks.publish(base, topic, 1, 1);

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.taken().size() == 1);
            List<Attempt> attempts = receiver.attempts();
            assertEquals(2, attempts.size());
            double waited = (attempts.get(1).receivedNanos() - attempts.get(0).receivedNanos()) / 1e9;
            assertTrue(waited >= 1.9, "retried " + waited + " s after a Retry-After of 2 s");
            assertEquals(attempts.get(0).webhookId(), attempts.get(1).webhookId());
        }
    }

    @Test
    void aReceiverAnswering410DisablesItsSubscriptionUntilResumed() throws Exception {
        AtomicBoolean gone = new AtomicBoolean(true);
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> gone.get() ? Answer.GONE : Answer.TAKE, 0)) {
            String topic = Api.freshTopic("webhook-gone");
            String id = subscribe(base, receiver, topic, Json.createObjectBuilder()).getString("id");
            Webhooks.publish(base, topic, 3, 3);

            JsonObject disabled = await().atMost(Duration.ofSeconds(30)).until(() -> subscription(base, id),
                    s -> s.getString("state").equals("disabled"));
            assertTrue(disabled.getString("state_reason").contains("410"), disabled.toString());
            int attempts = receiver.attempts().size();
            assertEquals(1, attempts, "no attempt after the 410");

            gone.set(false);
            Reply resumed = Api.sendTo(base, "PATCH", "/subscriptions/" + id, "{\"state\":\"active\"}");
            assertEquals(200, resumed.status(), resumed.brief());
            await().atMost(Duration.ofSeconds(30)).until(() -> firstTaken(receiver.taken()).size() == 3);
            assertEquals(feed(base, topic), firstTaken(receiver.taken()));
            assertEquals("active", subscription(base, id).getString("state"));
        }
    }

    @Test
    void anEventRefusedPastTheRetryHorizonGoesToTheDeadLettersAndDeliveryGoesOn() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(attempt ->
                attempt.keys().get(0).endsWith("/e1") ? Answer.FAIL_500 : Answer.TAKE, 0)) {
            String topic = Api.freshTopic("webhook-dead-letters");
            String id = subscribe(base, receiver, topic, Json.createObjectBuilder()).getString("id");
            Webhooks.publish(base, topic, 3, 3);

            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.taken().size() == 2);
            assertEquals(List.of(topic + "/e0", topic + "/e2"), firstTaken(receiver.taken()));
            Reply letters = Api.getFrom(base, "/subscriptions/" + id + "/dead-letters");
            assertEquals(200, letters.status(), letters.brief());
            JsonObject letter = letters.array("dead_letters").getJsonObject(0);
            assertEquals("e1", letter.getString("event_id"), letters.brief());
            assertTrue(letter.getInt("attempts") > 1, letters.brief());
            assertEquals(1, letters.array("dead_letters").size(), letters.brief());
            assertEquals(1, subscription(base, id).getJsonObject("delivery").getInt("dead_letters"));
            Webhooks.assertSignedWithStableIds(receiver.attempts());
        }
    }

    @Test
    void aSubscriptionSetToPauseStopsAtTheRetryHorizonAndResumesWhereItStopped() throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> down.get() ? Answer.FAIL_500 : Answer.TAKE,
                0)) {
            String topic = Api.freshTopic("webhook-pause");
            String id = subscribe(base, receiver, topic, Json.createObjectBuilder().add("on_exhausted", "pause"))
                    .getString("id");
            Webhooks.publish(base, topic, 5, 5);

            JsonObject paused = await().atMost(Duration.ofSeconds(60)).until(() -> subscription(base, id),
                    s -> s.getString("state").equals("paused"));
            assertTrue(paused.getString("state_reason").contains("retry horizon"), paused.toString());
            down.set(false);
            assertEquals(200, Api.sendTo(base, "PATCH", "/subscriptions/" + id, "{\"state\":\"active\"}").status());
            await().atMost(Duration.ofSeconds(30)).until(() -> firstTaken(receiver.taken()).size() == 4);
            assertEquals(feed(base, topic), firstTaken(receiver.taken()), "nothing skipped by the pause");
        }
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneAndIsShownOnce() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> Answer.TAKE, 0)) {
            String topic = Api.freshTopic("webhook-rotation");
            JsonObject made = subscribe(base, receiver, topic, Json.createObjectBuilder());
            String id = made.getString("id");
            String old = made.getString("secret");

            Reply rotated = Api.sendTo(base, "PATCH", "/subscriptions/" + id, "{\"rotate_secret\":true}");
            assertEquals(200, rotated.status(), rotated.brief());
            String fresh = rotated.json().getString("secret");
            assertTrue(!fresh.equals(old) && fresh.startsWith("whsec_"), rotated.brief());
            receiver.secret(fresh);
            Webhooks.publish(base, topic, 1, 1);

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.taken().size() == 1);
            Attempt delivery = receiver.taken().get(0);
            assertTrue(delivery.signedWith(fresh) && delivery.signedWith(old), delivery.signatures());
            assertEquals(2, delivery.signatures().split(" ").length, delivery.signatures());
            assertTrue(!subscription(base, id).containsKey("secret"));
        }
    }

    @Test
    void subscriptionsAreListedChangedAndDeleted() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> Answer.TAKE, 0)) {
            String topic = Api.freshTopic("webhook-crud");
            String id = subscribe(base, receiver, topic, Json.createObjectBuilder().add("from", "now"))
                    .getString("id");
            Reply list = Api.getFrom(base, "/subscriptions");
            assertTrue(list.array("subscriptions").stream().anyMatch(s -> s.asJsonObject().getString("id")
                    .equals(id) && !s.asJsonObject().containsKey("secret")), list.brief());

            Reply paused = Api.sendTo(base, "PATCH", "/subscriptions/" + id, "{\"state\":\"paused\"}");
            assertEquals("paused", paused.json().getString("state"), paused.brief());
            Webhooks.publish(base, topic, 2, 2);
            Reply resumed = Api.sendTo(base, "PATCH", "/subscriptions/" + id, "{\"state\":\"active\"}");
            assertEquals("active", resumed.json().getString("state"), resumed.brief());
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.taken().size() == 2);

            assertEquals(204, Api.deleteAt(base, "/subscriptions/" + id, Map.of()).status());
            assertEquals(404, Api.getFrom(base, "/subscriptions/" + id).status());
            assertEquals(404, Api.deleteAt(base, "/subscriptions/" + id, Map.of()).status());
            Webhooks.publish(base, topic, 5, 5);
            assertEquals(2, receiver.attempts().size(), "a deleted subscription delivers nothing more");
        }
    }

    @Test
    void invalidSubscriptionsAreRefusedWithEveryProblem() {
        for (String body : List.of("{\"url\":\"ftp://example.com/x\"}", "{\"url\":\"not a url\"}", "{}",
                "{\"url\":\"http://127.0.0.1/x\",\"secret\":\"plain\"}",
                "{\"url\":\"http://127.0.0.1/x\",\"batch_size\":0}",
                "{\"url\":\"http://127.0.0.1/x\",\"topics\":[]}",
                "{\"url\":\"http://127.0.0.1/x\",\"from\":\"yesterday\"}",
                "{\"url\":\"http://127.0.0.1/x\",\"urls\":\"http://127.0.0.1/y\"}")) {
            Reply refused = Api.sendTo(base, "POST", "/subscriptions", body);
            assertEquals(422, refused.status(), body + ": " + refused.brief());
            assertTrue(refused.json().getString("type").endsWith(":invalid-subscription"), refused.brief());
        }
        Reply two = Api.sendTo(base, "POST", "/subscriptions", "{\"url\":\"gopher://x\",\"batch_size\":\"ten\"}");
        assertEquals(2, two.array("errors").size(), two.brief());
        assertEquals(400, Api.sendTo(base, "POST", "/subscriptions", "{\"url\":").status());
        Reply large = Api.sendTo(base, "POST", "/subscriptions",
                "{\"url\":\"http://127.0.0.1/" + "a".repeat(70_000) + "\"}");
        assertEquals(413, large.status(), large.brief());
        assertEquals(404, Api.sendTo(base, "PATCH", "/subscriptions/sub_none", "{\"state\":\"paused\"}").status());
    }
}
