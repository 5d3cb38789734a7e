package org.libertyevents.bench;

import it.org.libertyevents.aggregator.support.OwnPostgres;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The scale scenario: the batch load on tables that already hold {@code bench.scale.rows} stored events and
 * {@code bench.scale.keys} remembered keys, against the same load on empty tables. Keys are hashes, so every insert
 * lands on a random page of the key index: the rate holds while that index fits in the database's memory. So, when
 * the benchmark starts its own servers, the scenario runs on a PostgreSQL of its own configured as an operator sizes
 * one for its working set ({@code bench.scale.postgres.settings}: buffers that hold the key index, WAL room for
 * random page writes), kept in {@code bench.scale.postgres.dir} so that the fill is built once, and measures both
 * rates there. With {@code bench.target} it fills the shared database and compares with the batch scenario's rate.
 */
final class Scale {

    static final String NAME = "scale";
    /** Instance 2: the other scenarios use 1 and 3 onwards. */
    private static final int INSTANCE = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final String EMPTY_DATABASE = "aggregator_bench";
    private static final String FILLED_DATABASE = "aggregator_bench_scale";

    private final BenchSettings settings;
    private final Scenarios scenarios;
    private final Databases databases;

    Scale(BenchSettings settings, Scenarios scenarios, Databases databases) {
        this.settings = settings;
        this.scenarios = scenarios;
        this.databases = databases;
    }

    /** On the benchmark's own PostgreSQL, sized for the key index: empty tables, then the filled ones. */
    Result run(BenchServers servers, double best) throws IOException, SQLException {
        int port = settings.scalePostgresPort();
        OwnPostgres postgres = OwnPostgres.open(port, settings.scalePostgresDir());
        try {
            configure(postgres);
            Result result = new Result(NAME, "batches on tables already holding " + settings.scaleRows()
                    + " events and " + settings.scaleKeys() + " remembered keys, and on empty tables, on a "
                    + "PostgreSQL of its own (port " + port + ", " + settings.scalePostgresSettings() + ")");
            String empty = postgres.url(EMPTY_DATABASE);
            databases.create(empty);
            BenchServers.Server server = start(servers, empty);
            databases.empty(empty);
            Target emptyTarget = new Target(server.url());
            scenarios.warmUp(emptyTarget, NAME + "-empty", settings.batchSize(), settings.batchClients(), false);
            double emptyRate = scenarios.batchCapacity(result, "empty_tables", NAME, emptyTarget, server.pid());
            servers.stop(server);
            result.figure("events/s committed, empty tables", emptyRate, "events/s", emptyRate / best, null, null);

            String filled = postgres.url(FILLED_DATABASE);
            databases.create(filled);
            server = start(servers, filled);
            long[] before = fill(filled);
            Target target = new Target(server.url());
            scenarios.warmUp(target, NAME, settings.batchSize(), settings.batchClients(), false);
            ServerProbe probe = new ServerProbe(target.url(), server.pid());
            probe.start();
            double rate;
            try {
                rate = scenarios.batchCapacity(result, "large_tables", NAME, target, server.pid());
            } finally {
                result.server(probe.stop());
                servers.stop(server);
            }
            result.figure("events/s committed", rate, "events/s", rate / best, null, null);
            judge(result, rate / emptyRate);
            result.count("shared_buffers", postgres.query("SHOW shared_buffers"));
            result.count("rows_before", before[0]);
            result.count("keys_before", before[1]);
            return result;
        } finally {
            postgres.stop();   // kept, with its filled tables, for the next run
        }
    }

    /** On a running server ({@code bench.target}): its database filled, against the batch scenario's rate. */
    Result runOnTarget(Target target, OptionalLong pid, double best, double batchRate) throws SQLException {
        long[] before = fill(settings.dbUrl());
        Result measured = scenarios.batch(NAME, "the batch scenario again, on the shared database once it holds "
                + settings.scaleRows() + " events and " + settings.scaleKeys() + " remembered keys", target, pid, best);
        measured.count("rows_before", before[0]);
        measured.count("keys_before", before[1]);
        judge(measured, measured.value("events/s committed") / batchRate);
        return measured;
    }

    /** Sets {@code bench.scale.postgres.settings} and restarts, since {@code shared_buffers} needs a restart. */
    private void configure(OwnPostgres postgres) {
        settings.scalePostgresSettings().forEach(postgres::configure);
        postgres.stop();
        postgres.start();
    }

    private BenchServers.Server start(BenchServers servers, String url) throws IOException {
        BenchServers.Server server = servers.start(INSTANCE, url, settings.redisUrl(),
                Map.of("DB_USER", "postgres", "DB_PASSWORD", ""));
        new Target(server.url()).awaitReady(START_TIMEOUT);
        return server;
    }

    /** Fills the tables the server has just created: stored events, then keys whose payloads expired. */
    private long[] fill(String url) throws SQLException {
        System.out.printf("== scale: making sure the table holds %,d events%n", settings.scaleRows());
        long rows = databases.fill(url, settings.scaleRows());
        System.out.printf("== scale: making sure %,d keys are remembered%n", settings.scaleKeys());
        long keys = databases.fillKeys(url, settings.scaleKeys());
        return new long[] {rows, keys};
    }

    private static void judge(Result result, double ratio) {
        result.figure("ratio to the empty-table batch", ratio, "x", null, ">= 0.8",
                Double.isNaN(ratio) ? null : ratio >= 0.8);
    }
}
