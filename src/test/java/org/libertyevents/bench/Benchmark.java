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
 * The benchmark: measures the ceilings (the database's, the minimal database's and, with servers of its own, a
 * minimal JAX-RS server's), then runs the scenarios (batch, single, async, async-cluster, jetstream, scale, embedded,
 * redis-down, sync-standby, expiry, subscribers) against servers it starts itself or against running ones
 * ({@code bench.target}), and writes {@code results.json} and {@code results.md} under {@code bench.out}. Run it with
 * {@code ./mvnw -Pbench verify -DskipTests}; docs/benchmarks.md describes every setting.
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
        JaxrsCeiling.Measured jaxrs = null;
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
            if (settings.runs("single") && settings.ownServers()) {
                System.out.println("== ceiling: minimal JAX-RS server, the single scenario's closed loop");
                jaxrs = new JaxrsCeiling(settings, scenarios).measure();
                System.out.printf("   %s%n", jaxrs);
            }
            double batchRate = Double.NaN;
            if (settings.runs("batch")) {
                Result batch = announce(scenarios.batch("batch", "batches of " + settings.batchSize()
                        + " events, synchronous commit (200 after the commit), " + settings.batchClients()
                        + " connections, closed loop, PostgreSQL", target, main.pid(), best));
                batchRate = batch.value("events/s committed");
                judge(batch, batchRate / best >= 0.5, ">= 50% of the ceiling");
                ratio(batch, "ratio to the minimal database ceiling", batchRate,
                        ceiling.getOrDefault(Ceiling.minimalKey(settings), Double.NaN), 0.5);
                double micros = Scenarios.serverMicros(batch, false);
                batch.figure("server CPU per event", micros, "µs", null, "<= 5 µs",
                        Double.isNaN(micros) ? null : micros <= 5);
                results.add(batch);
            }
            Result single = null;
            if (settings.runs("single")) {
                single = announce(scenarios.single(target, main.pid(), best));
                if (jaxrs != null) {
                    ratio(single, "ratio to the minimal JAX-RS ceiling", single.value("requests/s (closed loop)"),
                            jaxrs.requestsPerSecond(), 0.3);
                }
                results.add(single);
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
            if (settings.runs(JetStreamAnchor.NAME)) {
                Result jetStream = announce(new JetStreamAnchor(settings, scenarios).run());
                results.add(jetStream);
                anchor(single, "requests/s (closed loop)", jetStream, JetStreamAnchor.SYNC_RATE, "JetStream sync");
                anchor(async, "accepted events/s", jetStream, JetStreamAnchor.PIPELINED_RATE,
                        "JetStream pipelined");
            }
            if (settings.runs("scale")) {
                Scale scale = new Scale(settings, scenarios, databases);
                results.add(announce(settings.ownServers() ? scale.run(servers, best)
                        : scale.runOnTarget(target, main.pid(), best, batchRate)));
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
        Report report = new Report(settings, ceiling, jaxrs, results, machine());
        report.write(settings.out());
        boolean exact = results.stream().allMatch(r -> r.skippedBecause() != null || r.countProblem() == null);
        return new Outcome(settings.out().resolve("results.json"), report.markdown(), exact);
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

    /** A figure's ratio to a limit measured in the same run, judged against {@code atLeast}. */
    private static void ratio(Result result, String measure, double value, double limit, double atLeast) {
        double ratio = value / limit;
        if (!Double.isNaN(ratio)) {
            result.figure(measure, ratio, "x", null, ">= " + atLeast, ratio >= atLeast);
        }
    }

    /** Our figure as a ratio to the JetStream anchor's, when both ran in this run. */
    private static void anchor(Result ours, String measure, Result jetStream, String anchorMeasure, String label) {
        double ratio = ours == null ? Double.NaN : ours.value(measure) / jetStream.value(anchorMeasure);
        if (!Double.isNaN(ratio)) {
            ours.figure("ratio to " + label, ratio, "x", null, null, null);
        }
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
