package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.OwnPrometheus;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.WebhookReceiver;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.deploy.DeployFiles;
import org.libertyevents.aggregator.deploy.PromQl;
import org.microshed.testing.jupiter.MicroShedTest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped monitoring in a real Prometheus (Debian's binary, on a port of its own) scraping the suite's server
 * every second with the shipped alerting rules: every query of the Grafana dashboard answers, and the counter panels
 * count exactly what this test had acknowledged; every rule loads and evaluates on real series without error, a
 * healthy server sets off no availability alert, and a webhook receiver that refuses everything sets off the
 * webhook alerts for its subscription only. In the PostgreSQL suite, whose server has a broker, so that every
 * broker series exists.
 */
@MicroShedTest
class PrometheusIT {

    private static final int PORT = 19090;
    private static final Path ALERTS = DeployFiles.ALERTS;
    private static final Path DASHBOARD = DeployFiles.DASHBOARDS.resolve("aggregator.json");
    /** Sync: 20 events, every fifth a repeat (16 new); the same 20 again; async: 12, two repeats; two webhooks. */
    private static final Map<String, Long> SENT = Map.of("received", 54L, "stored", 28L, "duplicates", 26L,
            "conflicts", 0L);

    private static OwnPrometheus prometheus;
    private static WebhookReceiver taking;
    private static WebhookReceiver failing;
    private static final List<String> subscriptions = new ArrayList<>();
    private static String base;
    /** Sample times (Unix seconds) of the last scrape before this test's publishes and of one after them all. */
    private static double before;
    private static double after;

    @BeforeAll
    static void scrapeWhileThisTestPublishes() throws Exception {
        OwnPrometheus.require();
        Api.awaitReady();
        base = Api.baseUrl();
        URI server = URI.create(base);
        prometheus = OwnPrometheus.start(PORT, server.getHost() + ":" + server.getPort(), List.of(ALERTS));
        // What earlier tests left in flight is committed before the counters' starting point is taken.
        Api.awaitDrained(base, Duration.ofSeconds(60));
        before = sampleAfter(System.currentTimeMillis() / 1000.0);
        Map<String, Double> start = counters(before);

        taking = new WebhookReceiver(attempt -> WebhookReceiver.Answer.TAKE, 0);
        failing = new WebhookReceiver(attempt -> WebhookReceiver.Answer.FAIL_500, 0);
        publishWhatSentSays(subscribe(taking), subscribe(failing));

        Api.awaitDrained(base, Duration.ofSeconds(30));
        Map<String, Double> expected = new LinkedHashMap<>();
        start.forEach((name, value) -> expected.put(name, value + SENT.get(name)));
        await("Prometheus's counters at what this test sent").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    after = sampleAfter(before);
                    assertEquals(expected, counters(after));
                });
    }

    @AfterAll
    static void stop() throws Exception {
        subscriptions.forEach(id -> Api.deleteAt(base, "/subscriptions/" + id, Map.of()));
        for (AutoCloseable closeable : new AutoCloseable[] {prometheus, taking, failing}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** Every query of every dashboard answers a finite value for every series, at the end of this test's traffic. */
    @Test
    void everyDashboardQueryAnswers() {
        List<String> problems = new ArrayList<>();
        List<JsonObject> panels = DeployFiles.dashboards().stream()
                .flatMap(file -> DeployFiles.panels(DeployFiles.json(file)).stream())
                .filter(panel -> panel.containsKey("targets")).toList();
        assertFalse(panels.isEmpty(), "no dashboard panel has a query");
        for (JsonObject panel : panels) {
            for (JsonValue target : panel.getJsonArray("targets")) {
                String expr = target.asJsonObject().getString("expr");
                JsonArray result = evaluate(expr);
                if (result.isEmpty()) {
                    problems.add(panel.getString("title") + ": no series from " + expr);
                }
                result.forEach(series -> {
                    if (!Double.isFinite(OwnPrometheus.value(series.asJsonObject()))) {
                        problems.add(panel.getString("title") + ": " + series + " from " + expr);
                    }
                });
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(1.0, single(evaluate(target("Replicas up", "replicas"))), "replicas up");
    }

    /**
     * Over exactly this test's traffic (a window from the sample before it to one after it, so rate() has samples
     * at both ends and nothing to extrapolate), each series of the events panel times the window is what this test
     * sent, and the duplicate ratio is its duplicates over its events stored or dropped.
     */
    @Test
    void theCounterPanelsCountWhatThisTestSent() {
        double window = after - before + 0.001;
        for (Map.Entry<String, Long> sent : SENT.entrySet()) {
            String expr = target("Events per second", sent.getKey());
            double rate = single(evaluate(expr));
            assertEquals(sent.getValue(), rate * window, 0.01 * Math.max(1, sent.getValue()), () -> sent.getKey()
                    + " over " + window + " s; the samples: " + evaluate(PromQl.selectors(expr).get(0).metric()
                    + "[$__range]"));
        }
        double ratio = (double) SENT.get("duplicates") / (SENT.get("stored") + SENT.get("duplicates"));
        assertEquals(ratio, single(evaluate(target("Duplicate ratio", "duplicates"))), 0.001);
        assertEquals(ratio, single(evaluate(target("Duplicate ratio over time", "duplicate ratio"))), 0.001);
    }

    /**
     * Prometheus loaded every rule of the shipped file and has evaluated each on real series without error; every
     * series a rule selects exists, so no rule is silent for a misspelt name.
     */
    @Test
    void everyAlertingRuleLoadsAndEvaluatesOnExistingSeries() {
        Map<String, String> shipped = shippedRules();
        await("every rule evaluated").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    Map<String, JsonObject> loaded = loadedRules();
                    assertEquals(shipped.keySet(), loaded.keySet());
                    loaded.forEach((name, rule) -> assertEquals("ok", rule.getString("health"),
                            name + ": " + rule.getString("lastError", "")));
                });
        List<String> missing = new ArrayList<>();
        shipped.forEach((name, expr) -> {
            for (PromQl.Selector selector : PromQl.selectors(expr)) {
                String query = selector.metric() + (selector.equalLabels().isEmpty() ? ""
                        : selector.equalLabels().entrySet().stream()
                                .map(label -> label.getKey() + "=\"" + label.getValue() + "\"")
                                .collect(Collectors.joining(",", "{", "}")));
                if (prometheus.vector("count(" + query + ")").isEmpty()) {
                    missing.add(name + ": " + query);
                }
            }
        });
        assertTrue(missing.isEmpty(), "rules select series the server does not expose:\n" + String.join("\n",
                missing));
    }

    /** A server that answers every scrape and commits what it takes sets off no availability alert. */
    @Test
    void aHealthyServerSetsOffNoAvailabilityAlert() {
        for (String name : List.of("AggregatorDown", "AggregatorNoReplicaUp", "AggregatorIngestStalled")) {
            JsonObject rule = await(name + " evaluated").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250)).until(() -> loadedRules().get(name),
                            loaded -> loaded != null && loaded.getString("health").equals("ok"));
            assertEquals("inactive", rule.getString("state"), name + ": " + rule);
        }
    }

    /**
     * The receiver that refuses everything sets off the failing-webhook alert (pending: its for is minutes), and
     * once its event passed the suite's 5 s retry horizon the dead-letter alert; the receiver that takes everything
     * sets off neither.
     */
    @Test
    void aFailingReceiverSetsOffTheWebhookAlertsForItsSubscriptionOnly() {
        String failingId = subscriptions.get(1);
        await("webhook alerts for " + failingId).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, JsonObject> loaded = loadedRules();
                    for (String name : List.of("AggregatorWebhookFailing", "AggregatorWebhookDeadLetters")) {
                        assertEquals(Set.of(failingId), alertedSubscriptions(loaded.get(name)), name);
                    }
                });
    }

    private static String subscribe(WebhookReceiver receiver) {
        String topic = freshTopic("prometheus-webhook");
        Reply reply = Api.sendTo(base, "POST", "/subscriptions", Json.createObjectBuilder()
                .add("url", receiver.url()).add("topics", Json.createArrayBuilder().add(topic)).build().toString());
        assertEquals(201, reply.status(), reply.brief());
        receiver.secret(reply.json().getString("secret"));
        subscriptions.add(reply.json().getString("id"));
        return topic;
    }

    /** The publishes {@link #SENT} counts, each answered as it should be, and a bad request that counts nothing. */
    private static void publishWhatSentSays(String takingTopic, String failingTopic) {
        String topic = freshTopic("prometheus");
        String batch = Api.batchWithDuplicates(topic, "s", 0, 20);
        assertVerdicts(Api.publishTo(base, batch, false), 16, 4);
        assertVerdicts(Api.publishTo(base, batch, false), 0, 20);
        List<JsonObject> async = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            async.add(event(topic, "a" + i));
        }
        async.add(event(topic, "a0"));
        async.add(event(topic, "a1"));
        Reply accepted = Api.publishTo(base, Api.batch(async.toArray(JsonObject[]::new)), true);
        assertEquals(202, accepted.status(), accepted.brief());
        assertEquals(12, accepted.json().getInt("accepted"), accepted.brief());
        assertVerdicts(Api.publishTo(base, Api.batch(event(takingTopic, "w")), false), 1, 0);
        assertVerdicts(Api.publishTo(base, Api.batch(event(failingTopic, "w")), false), 1, 0);
        Reply bad = Api.publishTo(base, "[{\"topic\": ", false);
        assertEquals(400, bad.status(), bad.brief());
        assertEquals("application/problem+json", bad.contentType(), bad.brief());
    }

    private static void assertVerdicts(Reply reply, int stored, int duplicates) {
        assertEquals(200, reply.status(), reply.brief());
        assertEquals(stored, reply.json().getInt("stored"), reply.brief());
        assertEquals(duplicates, reply.json().getInt("duplicates"), reply.brief());
    }

    /**
     * The time of the newest successful scrape of the server, once one newer than {@code time} is in. (timestamp()
     * gives a sample's own time only applied to a selector: of {@code up == 1} it would give the query's time.)
     */
    private static double sampleAfter(double time) {
        return await("a scrape after " + time).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonArray newest = prometheus.vector("timestamp(up{job=\"aggregator\"}) and up == 1");
                    return newest.isEmpty() ? 0 : OwnPrometheus.value(newest.getJsonObject(0));
                }, newest -> newest > time);
    }

    /** The totals of the metrics the events panel rates, by its legend, as scraped at {@code time}. */
    private static Map<String, Double> counters(double time) {
        Map<String, Double> counters = new LinkedHashMap<>();
        for (String legend : new TreeSet<>(SENT.keySet())) {
            String metric = PromQl.selectors(target("Events per second", legend)).get(0).metric();
            JsonArray total = prometheus.query("sum(" + metric + ")", time).getJsonArray("result");
            counters.put(legend, single(total));
        }
        return counters;
    }

    /** A dashboard query at the end of this test's traffic, its interval variables the window over that traffic. */
    private static JsonArray evaluate(String expr) {
        long windowMillis = Math.round((after - before) * 1000) + 1;
        String query = expr.replaceAll("\\$\\{?__(rate_interval|interval|range)}?", windowMillis + "ms");
        return prometheus.query(query, after).getJsonArray("result");
    }

    private static double single(JsonArray vector) {
        assertEquals(1, vector.size(), vector.toString());
        return OwnPrometheus.value(vector.getJsonObject(0));
    }

    private static List<JsonObject> panels() {
        return DeployFiles.panels(DeployFiles.json(DASHBOARD)).stream()
                .filter(panel -> !panel.getString("type").equals("row")).toList();
    }

    /** The query of the panel titled {@code title} whose legend is {@code legend}. */
    private static String target(String title, String legend) {
        return panels().stream().filter(panel -> panel.getString("title").equals(title))
                .flatMap(panel -> panel.getJsonArray("targets").getValuesAs(JsonValue::asJsonObject).stream())
                .filter(target -> target.getString("legendFormat", "").equals(legend))
                .map(target -> target.getString("expr")).findFirst()
                .orElseThrow(() -> new AssertionError("the dashboard has no panel " + title + " with " + legend));
    }

    /** The alerting rules of the shipped file: name to expression. */
    private static Map<String, String> shippedRules() {
        Map<String, String> rules = new LinkedHashMap<>();
        for (Object group : DeployFiles.list(DeployFiles.yaml(ALERTS).get("groups"), "groups")) {
            for (Object rule : DeployFiles.list(DeployFiles.map(group, "group").get("rules"), "rules")) {
                Map<String, Object> fields = DeployFiles.map(rule, "rule");
                rules.put((String) fields.get("alert"), (String) fields.get("expr"));
            }
        }
        return rules;
    }

    /** The alerting rules Prometheus loaded, by name. */
    private static Map<String, JsonObject> loadedRules() {
        return prometheus.ruleGroups().getValuesAs(JsonValue::asJsonObject).stream()
                .flatMap(group -> group.getJsonArray("rules").getValuesAs(JsonValue::asJsonObject).stream())
                .filter(rule -> rule.getString("type").equals("alerting"))
                .collect(Collectors.toMap(rule -> rule.getString("name"), rule -> rule));
    }

    /** The subscriptions a rule's active (pending or firing) alerts are about. */
    private static Set<String> alertedSubscriptions(JsonObject rule) {
        return rule.getJsonArray("alerts").getValuesAs(JsonValue::asJsonObject).stream()
                .map(alert -> alert.getJsonObject("labels").getString("subscription", ""))
                .filter(subscription -> subscriptions.contains(subscription))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
