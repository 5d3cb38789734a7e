package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.deploy.DeployFiles;
import org.libertyevents.aggregator.deploy.PromQl;
import org.microshed.testing.jupiter.MicroShedTest;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container files against what the build and the server really produce. In the PostgreSQL suite, whose
 * server has a broker, so that every broker metric the Grafana dashboard queries exists; and under failsafe, after
 * {@code package}, so that the build output the Dockerfile copies exists.
 */
@MicroShedTest
class ContainerMonitoringIT {

    /** Series Prometheus makes itself for every target, not found in /metrics. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");
    /** Labels Prometheus attaches to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static String base;

    @BeforeAll
    static void ready() {
        Api.awaitReady();
        base = Api.baseUrl();
    }

    @Test
    void everyMetricTheDashboardQueriesIsExposed() {
        // Timers and per-path metrics appear once used: publish synchronously and through the broker first.
        String topic = freshTopic("dashboard-metrics");
        Reply sync = Api.publishTo(base, Api.batch(event(topic, "1"), event(topic, "1")), false);
        assertEquals(200, sync.status(), sync.brief());
        Reply async = Api.publishTo(base, Api.batch(event(topic, "2")), true);
        assertEquals(202, async.status(), async.brief());
        Api.awaitDrained(base, Duration.ofSeconds(30));

        Map<String, List<Map<String, String>>> exposed = samples(Api.text(base, "/metrics"));
        List<String> expressions = DeployFiles.dashboardExpressions();
        assertFalse(expressions.isEmpty());
        List<String> missing = new ArrayList<>();
        for (String expression : expressions) {
            for (PromQl.Selector selector : PromQl.selectors(expression)) {
                if (!PROMETHEUS_SERIES.contains(selector.metric()) && !isExposed(selector, exposed)) {
                    missing.add(selector + " in: " + expression);
                }
            }
        }
        assertTrue(missing.isEmpty(), "queried but not in /metrics:\n" + String.join("\n", missing));
    }

    @Test
    void theBuildMakesEveryFileTheImageCopies() {
        for (DeployFiles.Copy copy : DeployFiles.dockerfileCopies()) {
            for (String source : copy.sources()) {
                assertTrue(Files.exists(DeployFiles.PROJECT.resolve(source)),
                        "the Dockerfile copies " + source + ", which `./mvnw package` did not make");
            }
        }
    }

    /** Whether some sample has the selector's name and every label it requires (Prometheus's own labels aside). */
    private static boolean isExposed(PromQl.Selector selector, Map<String, List<Map<String, String>>> exposed) {
        Map<String, String> required = new HashMap<>(selector.equalLabels());
        required.keySet().removeAll(TARGET_LABELS);
        return exposed.getOrDefault(selector.metric(), List.of()).stream()
                .anyMatch(labels -> labels.entrySet().containsAll(required.entrySet()));
    }

    /** The Prometheus text format: sample name to the label sets it is exposed with. */
    private static Map<String, List<Map<String, String>>> samples(String text) {
        Map<String, List<Map<String, String>>> samples = new HashMap<>();
        for (String line : text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()) {
            Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), "not a sample line: " + line);
            Map<String, String> labels = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
        }
        return samples;
    }
}
