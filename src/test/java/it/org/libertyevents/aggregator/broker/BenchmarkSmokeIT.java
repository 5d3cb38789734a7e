package it.org.libertyevents.aggregator.broker;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.ItDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.libertyevents.bench.BenchSettings;
import org.libertyevents.bench.Benchmark;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keeps the benchmark working: its short variant ({@code bench.smoke}, about a second per measurement) against the
 * build's PostgreSQL server (with its Redis broker) and, for the embedded scenario, the H2 suite's server, which
 * runs at the same time. Every scenario that can run against running servers (jetstream against the NATS server
 * the build needs) must complete with exact counts, and both result files must hold the ceilings and each of them.
 */
class BenchmarkSmokeIT {

    /**
     * redis-down kills the Redis of a server it starts itself, async-cluster and sync-standby start a Redis Cluster
     * or a PostgreSQL pair and a server of their own, and expiry and subscribers a server on a database of its own,
     * so none of them can run against these servers.
     */
    private static final List<String> SCENARIOS = BenchSettings.ALL_SCENARIOS.stream()
            .filter(s -> !List.of("redis-down", "async-cluster", "sync-standby", "expiry", "subscribers").contains(s))
            .toList();

    @Test
    void everyScenarioRunsWithExactCountsAndIsReported() throws Exception {
        // The PostgreSQL suite's test; -Dit.test overrides the H2 suite's exclusion of broker/, so say so here.
        assumeTrue(ItDatabase.isPostgres(), "runs in the PostgreSQL suite only");
        ItDatabase.prepare();
        Api.awaitReady();
        String wlp = System.getProperty("it.wlp.dir");
        Path out = Path.of(wlp).resolve("../../bench-smoke").normalize();
        Properties properties = new Properties();
        properties.setProperty("bench.smoke", "true");
        properties.setProperty("bench.scenarios", String.join(",", SCENARIOS));
        properties.setProperty("bench.out", out.toString());
        properties.setProperty("bench.target", Api.baseUrl());
        properties.setProperty("bench.embedded.target", "http://localhost:" + System.getProperty("it.h2.http.port"));
        properties.setProperty("bench.server.pid.files", Path.of(wlp, "usr/servers/.pid/aggregator-it-postgres.pid")
                + "," + Path.of(wlp, "usr/servers/.pid/aggregator-it-h2.pid"));
        properties.setProperty("bench.db.url", System.getProperty("it.postgres.url"));
        properties.setProperty("bench.db.user", System.getProperty("it.postgres.user"));
        properties.setProperty("bench.db.password", System.getProperty("it.postgres.password", ""));

        Benchmark.Outcome outcome = new Benchmark(BenchSettings.from(properties)).run();

        assertTrue(outcome.exact(), () -> "counts differ:\n" + outcome.markdown());
        JsonObject results;
        try (Reader reader = Files.newBufferedReader(outcome.json())) {
            results = Json.createReader(reader).readObject();
        }
        JsonObject ceiling = results.getJsonObject("ceiling");
        assertTrue(ceiling.getJsonNumber("jdbc_100_rows").doubleValue() > 0, ceiling::toString);
        assertTrue(ceiling.getJsonNumber("jdbc_500_rows").doubleValue() > 0, ceiling::toString);
        assertTrue(ceiling.getJsonNumber("minimal_500_rows").doubleValue() > 0, ceiling::toString);
        List<JsonObject> scenarios = results.getJsonArray("scenarios").getValuesAs(JsonObject.class);
        assertEquals(SCENARIOS,
                scenarios.stream().map(s -> s.getString("name")).collect(Collectors.toList()));
        for (JsonObject scenario : scenarios) {
            assertFalse(scenario.containsKey("skipped"), scenario::toString);
            assertTrue(scenario.getBoolean("counts_exact"), scenario::toString);
            JsonObject counts = scenario.getJsonObject("counts");
            assertEquals(0, counts.containsKey("errors") ? counts.getJsonNumber("errors").longValue() : 0,
                    scenario::toString);
            for (JsonValue figure : scenario.getJsonArray("figures")) {
                assertTrue(figure.asJsonObject().getJsonNumber("value").doubleValue() > 0, scenario::toString);
            }
            assertTrue(scenario.getJsonObject("server").getJsonNumber("cpu_cores").doubleValue() > 0,
                    scenario::toString);
        }
        String markdown = Files.readString(out.resolve("results.md"));
        assertTrue(markdown.contains("| ceiling | jdbc 500 rows"), markdown);
        assertTrue(markdown.contains("| ceiling | minimal 500 rows"), markdown);
        for (String scenario : SCENARIOS) {
            assertTrue(markdown.contains("| " + scenario + " |"), markdown);
        }
    }
}
