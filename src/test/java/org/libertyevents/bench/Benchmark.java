package org.libertyevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The benchmark: measures the database's ceiling, then runs the scenarios (batch, single, async, async-cluster,
 * scale, embedded, redis-down, sync-standby) against servers it starts itself or against running ones
 * ({@code bench.target}), and writes {@code results.json} and {@code results.md} under {@code bench.out}. Run it with
 * {@code ./mvnw -Pbench verify -DskipTests}; the README's Benchmarks section describes every setting.
 */
public final class Benchmark {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final BenchSettings settings;
    private final Scenarios scenarios;
    private final Databases databases;

    public Benchmark(BenchSettings settings) {
        this.settings = settings;
        this.scenarios = new Scenarios(settings);
        this.databases = new Databases(settings.dbUser(), settings.dbPassword());
    }

    public static void main(String[] args) throws Exception {
        Outcome outcome = new Benchmark(BenchSettings.fromSystemProperties()).run();
        System.out.println();
        System.out.println(outcome.markdown());
        System.out.println("Results: " + outcome.json() + " and " + outcome.json().resolveSibling("results.md"));
        if (!outcome.exact()) {
            // Fails the Maven build; exec:java runs in Maven's JVM, so no System.exit.
            throw new IllegalStateException("counts did not match in at least one scenario: see the table above");
        }
    }

    /** Where the results went, the table, and whether every scenario's counts were exact. */
    public record Outcome(Path json, String markdown, boolean exact) {
    }

    public Outcome run() throws IOException, SQLException, InterruptedException {
        databases.create(settings.dbUrl());
        BenchServers servers = new BenchServers(settings);
        List<Result> results = new ArrayList<>();
        Map<String, Double> ceiling;
        try {
            BenchServers.Server main = settings.ownServers() ? servers.start(1, settings.dbUrl())
                    : new BenchServers.Server(0, settings.target(), pidFile(0));
            Target target = new Target(main.url());
            target.awaitReady(START_TIMEOUT);
            if (settings.ownServers()) {
                databases.empty(settings.dbUrl());
            }
            System.out.println("== ceiling: plain JDBC multi-row INSERT ... ON CONFLICT DO NOTHING");
            ceiling = new Ceiling(settings).measure(settings.duration());
            double best = Report.best(ceiling);
            System.out.printf("   %s%n", ceiling);
            double batchRate = Double.NaN;
            if (settings.runs("batch")) {
                Result batch = announce(scenarios.batch("batch", "batches of " + settings.batchSize()
                        + " events, synchronous commit (200 after the commit), " + settings.batchClients()
                        + " connections, closed loop, PostgreSQL", target, main.pid(), best));
                batchRate = batch.value("events/s committed");
                judge(batch, batchRate / best >= 0.5, ">= 50% of the ceiling");
                results.add(batch);
            }
            if (settings.runs("single")) {
                results.add(announce(scenarios.single(target, main.pid(), best)));
            }
            Result async = null;
            if (settings.runs("async")) {
                async = announce(scenarios.async(target, main.pid(), best, batchRate));
                results.add(async);
            }
            if (settings.runs(AsyncCluster.NAME)) {
                results.add(announce(new AsyncCluster(settings, scenarios).run(servers, best, batchRate, async)));
            }
            if (settings.ownServers()) {
                servers.stop(main);
            }
            if (settings.runs("scale")) {
                results.add(announce(scale(servers, target, main.pid(), best, batchRate)));
            }
            if (settings.runs("embedded")) {
                results.add(announce(embedded(servers, best)));
            }
            if (settings.runs(RedisDown.NAME)) {
                results.add(announce(new RedisDown(settings, scenarios).run(servers, best)));
            }
            if (settings.runs(SyncStandby.NAME)) {
                results.add(announce(new SyncStandby(settings, scenarios).run(servers)));
            }
            if (settings.runs(Expiry.NAME)) {
                results.add(announce(new Expiry(settings, scenarios, databases).run(servers)));
            }
            if (settings.runs(Subscribers.NAME)) {
                results.add(announce(new Subscribers(settings, databases).run(servers)));
            }
        } finally {
            servers.stopAll();
        }
        Report report = new Report(settings, ceiling, results, machine());
        report.write(settings.out());
        boolean exact = results.stream().allMatch(r -> r.skippedBecause() != null || r.countProblem() == null);
        return new Outcome(settings.out().resolve("results.json"), report.markdown(), exact);
    }

    private Result scale(BenchServers servers, Target shared, OptionalLong sharedPid, double best, double batchRate)
            throws IOException, SQLException {
        String url = settings.ownServers() ? settings.scaleDbUrl() : settings.dbUrl();
        databases.create(url);
        BenchServers.Server server = null;
        Target target = shared;
        OptionalLong pid = sharedPid;
        if (settings.ownServers()) {
            // Its own server and database: the stored events are built once and kept for later runs.
            server = servers.start(2, url);
            target = new Target(server.url());
            target.awaitReady(START_TIMEOUT);
            pid = server.pid();
        }
        System.out.printf("== scale: making sure the table holds %,d events%n", settings.scaleRows());
        long rows = databases.fill(url, settings.scaleRows());
        System.out.printf("== scale: making sure %,d keys are remembered%n", settings.scaleKeys());
        long keys = databases.fillKeys(url, settings.scaleKeys());
        Result scale = scenarios.batch("scale", "the batch scenario again, on tables already holding "
                + String.format("%,d", rows) + " events and " + String.format("%,d", keys) + " remembered keys "
                + "(the others' payloads expired)", target, pid, best);
        scale.count("rows_before", rows);
        scale.count("keys_before", keys);
        double ratio = scale.value("events/s committed") / batchRate;
        scale.figure("ratio to the empty-table batch", ratio, "x", null, ">= 0.8",
                Double.isNaN(ratio) ? null : ratio >= 0.8);
        if (server != null) {
            servers.stop(server);
        }
        return scale;
    }

    private Result embedded(BenchServers servers, double best) throws IOException {
        String measures = "the batch scenario on the embedded default (H2 file database, no DB_URL)";
        BenchServers.Server server;
        if (settings.ownServers()) {
            server = servers.start(3, null);
        } else if (!settings.embeddedTarget().isEmpty()) {
            server = new BenchServers.Server(0, settings.embeddedTarget(), pidFile(1));
        } else {
            return Result.skipped("embedded", measures, "no bench.embedded.target");
        }
        Target target = new Target(server.url());
        target.awaitReady(START_TIMEOUT);
        Result result = scenarios.batch("embedded", measures, target, server.pid(), best);
        if (settings.ownServers()) {
            servers.stop(server);
        }
        return result;
    }

    private static void judge(Result result, boolean met, String target) {
        Result.Figure rate = result.figures().get(0);
        result.figures().set(0,
                new Result.Figure(rate.measure(), rate.value(), rate.unit(), rate.ratio(), target, met));
    }

    private OptionalLong pidFile(int index) {
        return index < settings.serverPidFiles().size() ? BenchServers.pid(settings.serverPidFiles().get(index))
                : OptionalLong.empty();
    }

    private static Result announce(Result result) {
        System.out.printf("== %s: %s%n", result.scenario(), result.figures().stream()
                .map(f -> f.measure() + " " + Math.round(f.value() * 100) / 100.0).toList());
        if (result.countProblem() != null) {
            System.out.println("   COUNTS: " + result.countProblem());
        }
        return result;
    }

    private static String machine() {
        String cpu = "";
        long memKiB = 0;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("");
            memKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        } catch (IOException e) {
            // not Linux: cores and Java alone
        }
        return Runtime.getRuntime().availableProcessors() + " cores" + (cpu.isEmpty() ? "" : " (" + cpu + ")")
                + (memKiB == 0 ? "" : ", " + memKiB / 1048576 + " GiB")
                + ", Java " + System.getProperty("java.version");
    }
}
