package org.libertyevents.aggregator.deploy;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.libertyevents.aggregator.deploy.DeployFiles.ALERTS;
import static org.libertyevents.aggregator.deploy.DeployFiles.GRAFANA;
import static org.libertyevents.aggregator.deploy.DeployFiles.PROJECT;
import static org.libertyevents.aggregator.deploy.DeployFiles.PROMETHEUS;
import static org.libertyevents.aggregator.deploy.DeployFiles.list;
import static org.libertyevents.aggregator.deploy.DeployFiles.map;
import static org.libertyevents.aggregator.deploy.DeployFiles.service;
import static org.libertyevents.aggregator.deploy.DeployFiles.services;

/**
 * Prometheus and Grafana as docker-compose.yml provisions them: a valid scrape configuration that finds every
 * aggregator replica, alerting rules that fire when they should, a datasource at the Prometheus service, and
 * dashboards whose every query is PromQL on that datasource. Whether the metrics the queries and rules name exist is
 * checked against a running server by {@code it.org.libertyevents.aggregator.broker.ContainerMonitoringIT} and
 * {@code PrometheusIT}.
 */
class MonitoringConfigTest {

    private static final Path DATASOURCES = GRAFANA.resolve("provisioning/datasources/prometheus.yml");
    private static final Path DASHBOARD_PROVIDERS = GRAFANA.resolve("provisioning/dashboards/aggregator.yml");

    @Test
    void promtoolAcceptsThePrometheusConfiguration() throws Exception {
        Promtool.check("check", "config", PROMETHEUS.toString());
    }

    @Test
    void prometheusLoadsTheAlertingRulesTheComposeFileMounts() {
        List<Object> ruleFiles = list(DeployFiles.yaml(PROMETHEUS).get("rule_files"), "rule_files");
        assertEquals(List.of("alerts.yml"), ruleFiles, "relative to the configuration's folder");
        assertEquals(ALERTS, mountSource("prometheus", "/etc/prometheus/alerts.yml"));
    }

    @Test
    void promtoolAcceptsTheAlertingRules() throws Exception {
        String output = Promtool.check("check", "rules", ALERTS.toString());
        assertTrue(output.contains(alertingRules().size() + " rules found"), output);
    }

    /** promtool's unit tests of the rules on made-up series: each fires when it should, and only then. */
    @Test
    void theAlertingRulesPassTheirPromtoolTests() throws Exception {
        Path tests = PROJECT.resolve("src/test/resources/prometheus/alerts-test.yml");
        assertTrue(Promtool.check("test", "rules", tests.toString()).contains("SUCCESS"));
    }

    @Test
    void everyAlertWaitsSaysHowBadItIsAndExplainsItself() {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> rule : alertingRules()) {
            String name = (String) rule.get("alert");
            assertTrue(name != null && names.add(name), "every rule is an alert with a name of its own: " + rule);
            assertTrue(String.valueOf(rule.get("for")).matches("[1-9][0-9]*[smh]"), name + " needs a for");
            assertTrue(Set.of("warning", "critical").contains(map(rule.get("labels"), name).get("severity")),
                    name + " needs a severity of warning or critical");
            Map<String, Object> annotations = map(rule.get("annotations"), name + " annotations");
            for (String annotation : List.of("summary", "description")) {
                assertFalse(String.valueOf(annotations.getOrDefault(annotation, "")).isBlank(),
                        name + " needs a " + annotation);
            }
        }
    }

    @Test
    void prometheusScrapesEveryAggregatorReplicaAtMetrics() {
        assertEquals(PROMETHEUS, mountSource("prometheus", "/etc/prometheus/prometheus.yml"));
        Map<String, Map<String, Object>> jobs = scrapeJobs();
        Map<String, Object> aggregator = jobs.get("aggregator");
        assertEquals("/metrics", aggregator.get("metrics_path"));
        Map<String, Object> discovery = map(list(aggregator.get("dns_sd_configs"), "dns_sd_configs").get(0), "dns_sd");
        assertEquals(List.of("aggregator"), discovery.get("names"), "the compose service, one A record per replica");
        assertEquals("A", discovery.get("type"));
        assertEquals(9080, discovery.get("port"));
        assertTrue(services().containsKey("aggregator"));
        for (Map<String, Object> job : jobs.values()) {
            for (Object config : list(job.getOrDefault("static_configs", List.of()), "static_configs")) {
                for (Object target : list(map(config, "static_config").get("targets"), "targets")) {
                    String host = ((String) target).split(":")[0];
                    assertTrue(services().containsKey(host), "scrape target " + target + " is no compose service");
                }
            }
        }
    }

    @Test
    void grafanaProvisionsThePrometheusServiceAsDatasource() {
        assertEquals(GRAFANA.resolve("provisioning"), mountSource("grafana", "/etc/grafana/provisioning"));
        Map<String, Object> datasource = datasource();
        assertEquals("prometheus", datasource.get("type"));
        URI url = URI.create((String) datasource.get("url"));
        assertTrue(services().containsKey(url.getHost()), url + " is no compose service");
        assertTrue(list(service(url.getHost()).get("ports"), "ports").stream()
                .anyMatch(p -> String.valueOf(p).matches("(.*:)?" + url.getPort() + ":" + url.getPort())));
    }

    @Test
    void grafanaLoadsTheDashboardsFromTheMountedFolder() {
        Map<String, Object> provider = map(list(DeployFiles.yaml(DASHBOARD_PROVIDERS).get("providers"), "providers")
                .get(0), "provider");
        assertEquals("file", provider.get("type"));
        String folder = (String) map(provider.get("options"), "options").get("path");
        assertEquals(DeployFiles.DASHBOARDS, mountSource("grafana", folder));
        assertFalse(DeployFiles.dashboards().isEmpty());
        String home = (String) map(service("grafana").get("environment"), "environment")
                .get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertTrue(home.startsWith(folder + "/"));
        assertTrue(Files.isRegularFile(DeployFiles.DASHBOARDS.resolve(home.substring(folder.length() + 1))), home);
    }

    @Test
    void everyPanelQueriesTheProvisionedDatasourceAndExistingJobs() {
        String uid = (String) datasource().get("uid");
        Set<String> jobs = scrapeJobs().keySet();
        for (Path file : DeployFiles.dashboards()) {
            JsonObject dashboard = DeployFiles.json(file);
            assertFalse(dashboard.getString("uid").isBlank(), file + " needs a stable uid");
            for (JsonObject panel : DeployFiles.panels(dashboard)) {
                if (panel.getString("type").equals("row")) {
                    continue;
                }
                String title = file.getFileName() + ": " + panel.getString("title");
                assertEquals(uid, panel.getJsonObject("datasource").getString("uid"), title);
                assertFalse(panel.getJsonArray("targets").isEmpty(), title + " has no query");
                for (var target : panel.getJsonArray("targets")) {
                    JsonObject query = target.asJsonObject();
                    assertEquals(uid, query.getJsonObject("datasource").getString("uid"), title);
                    for (PromQl.Selector selector : PromQl.selectors(query.getString("expr"))) {
                        String job = selector.equalLabels().get("job");
                        assertTrue(job == null || jobs.contains(job), title + " queries an unknown job " + job);
                    }
                }
            }
        }
    }

    @Test
    void theDashboardAnswersTheOperatorsQuestions() {
        Set<String> metrics = DeployFiles.dashboardExpressions().stream()
                .flatMap(e -> PromQl.selectors(e).stream()).map(PromQl.Selector::metric)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(metrics.containsAll(Set.of(
                "aggregator_events_received_total", "aggregator_events_stored_total",        // events/s
                "aggregator_events_duplicate_total",                                         // duplicate ratio
                "aggregator_publish_latency_seconds",                                        // p99 latency
                "aggregator_ingest_pending", "aggregator_broker_backlog",                     // pending, backlog
                "aggregator_broker_consumer_lag",                                            // consumer lag
                "aggregator_events_rejected_total", "aggregator_events_failed_total",        // errors, rejections
                "aggregator_broker_dead_lettered_total")), metrics.toString());              // dead letters
        assertTrue(DeployFiles.dashboardExpressions().stream()
                        .anyMatch(e -> e.contains("aggregator_publish_latency_seconds{quantile=\"0.99\"}")),
                "p99 comes from the timer's summary quantile");
    }

    /** promtool parses each query as a recording rule, with Grafana's interval variables as a fixed range. */
    @Test
    void everyDashboardQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        List<String> expressions = DeployFiles.dashboardExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            String expr = expressions.get(i).replaceAll("\\$\\{?__(rate_interval|interval|range)}?", "1m");
            rules.append("      - record: dashboard:query").append(i).append('\n')
                    .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
        Path file = Files.writeString(dir.resolve("dashboard-queries.yml"), rules);
        String output = Promtool.check("check", "rules", file.toString());
        assertTrue(output.contains(expressions.size() + " rules found"), output);
    }

    private static List<Map<String, Object>> alertingRules() {
        return list(DeployFiles.yaml(ALERTS).get("groups"), "groups").stream()
                .flatMap(group -> list(map(group, "group").get("rules"), "rules").stream())
                .map(rule -> map(rule, "rule")).toList();
    }

    private static Map<String, Map<String, Object>> scrapeJobs() {
        return list(DeployFiles.yaml(PROMETHEUS).get("scrape_configs"), "scrape_configs").stream()
                .map(job -> map(job, "scrape_config"))
                .collect(Collectors.toMap(job -> (String) job.get("job_name"), job -> job));
    }

    private static Map<String, Object> datasource() {
        List<Object> datasources = list(DeployFiles.yaml(DATASOURCES).get("datasources"), "datasources");
        assertEquals(1, datasources.size());
        return map(datasources.get(0), "datasource");
    }

    /** The project file or folder a service mounts at {@code target}. */
    private static Path mountSource(String service, String target) {
        for (Object volume : list(service(service).get("volumes"), service + ".volumes")) {
            String[] parts = ((String) volume).split(":");
            if (parts[1].equals(target)) {
                return PROJECT.resolve(parts[0]).normalize();
            }
        }
        throw new AssertionError(service + " mounts nothing at " + target);
    }
}
