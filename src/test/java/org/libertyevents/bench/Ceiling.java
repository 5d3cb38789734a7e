package org.libertyevents.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database's own ceiling on this machine, measured in the same run: the rows a batch scenario sends (same
 * keys, payloads and 20% duplicates) inserted straight into one table of the events' columns (schema
 * {@code bench_ceiling}, unique on {@code (topic, event_id)}, with the feed's indexes) with plain JDBC, as multi-row
 * {@code INSERT ... VALUES ... ON CONFLICT DO NOTHING} statements, each committed on its own, from a few
 * connections; then, where {@code pgbench} is installed, an equivalent pgbench script. Beside them the minimal
 * database ceiling: the same JDBC statements, at the largest statement size, into a table whose only index is the
 * unique key (no feed indexes, no sequence, no counters), the least any deduplicating store must do. Every figure
 * counts attempted rows per second, duplicates included, as the scenarios count events.
 */
final class Ceiling {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private final BenchSettings settings;

    Ceiling(BenchSettings settings) {
        this.settings = settings;
    }

    /**
     * Attempted rows per second by method ({@code jdbc_100_rows}, ..., {@code pgbench_500_rows},
     * {@code minimal_500_rows}).
     */
    Map<String, Double> measure(Duration duration) throws SQLException {
        Map<String, Double> results = new LinkedHashMap<>();
        for (int rows : settings.ceilingRowsPerStatement()) {
            recreateTable(false);
            results.put("jdbc_" + rows + "_rows", jdbc(rows, duration));
        }
        int rows = settings.ceilingRowsPerStatement().get(settings.ceilingRowsPerStatement().size() - 1);
        recreateTable(false);
        double pgbench = pgbench(rows, duration);
        if (!Double.isNaN(pgbench)) {
            results.put("pgbench_" + rows + "_rows", pgbench);
        }
        recreateTable(true);
        results.put(minimalKey(settings), jdbc(rows, duration));
        dropSchema();
        return results;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
    }

    /** The key of the minimal database ceiling among the figures {@link #measure} returns. */
    static String minimalKey(BenchSettings settings) {
        return "minimal_" + settings.ceilingRowsPerStatement().get(settings.ceilingRowsPerStatement().size() - 1)
                + "_rows";
    }

    private void recreateTable(boolean minimal) throws SQLException {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS bench_ceiling CASCADE");
            sql.execute("CREATE SCHEMA bench_ceiling");
            if (minimal) {
                // The inserted columns with their types, the unique key as the one index: no seq or tx defaults.
                sql.execute("""
                        CREATE TABLE bench_ceiling.events (
                            topic varchar(255) NOT NULL, event_id varchar(255) NOT NULL,
                            event_time timestamptz NOT NULL, source varchar(255) NOT NULL, payload jsonb NOT NULL,
                            received_at timestamptz NOT NULL, UNIQUE (topic, event_id))""");
                return;
            }
            // The least a deduplicating insert needs: one table, unique on the key, indexed for the feed. The
            // service's own tables (keys apart from payloads, partitions) are what its ratios to this measure.
            sql.execute("CREATE TABLE bench_ceiling.events (LIKE public.events INCLUDING DEFAULTS)");
            sql.execute("ALTER TABLE bench_ceiling.events ADD UNIQUE (topic, event_id)");
            sql.execute("CREATE INDEX ON bench_ceiling.events (tx, seq)");
            sql.execute("CREATE INDEX ON bench_ceiling.events (topic, tx, seq)");
        }
    }

    private void dropSchema() throws SQLException {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS bench_ceiling CASCADE");
        }
    }

    private double jdbc(int rowsPerStatement, Duration duration) {
        EventSet events = new EventSet("ceiling-" + settings.runId() + "-" + rowsPerStatement);
        StringBuilder insert = new StringBuilder(
                "INSERT INTO bench_ceiling.events (topic, event_id, event_time, source, payload, received_at) VALUES ");
        for (int i = 0; i < rowsPerStatement; i++) {
            insert.append(i == 0 ? "" : ",").append("(?,?,CAST(? AS timestamptz),?,CAST(? AS jsonb),?)");
        }
        insert.append(" ON CONFLICT DO NOTHING");
        AtomicLong next = new AtomicLong();
        AtomicLong rows = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < settings.ceilingConnections(); c++) {
            Thread thread = new Thread(() -> {
                try (Connection connection = connect();
                     PreparedStatement statement = connection.prepareStatement(insert.toString())) {
                    while (System.nanoTime() < end) {
                        long first = next.getAndIncrement() * rowsPerStatement;
                        Timestamp now = Timestamp.from(Instant.now());
                        int p = 1;
                        for (long original : sortedOriginals(first, rowsPerStatement)) {
                            statement.setString(p++, events.topic(original));
                            statement.setString(p++, events.eventId(original));
                            statement.setString(p++, events.timestamp(original));
                            statement.setString(p++, EventSet.source());
                            statement.setString(p++, EventSet.payload(original));
                            statement.setTimestamp(p++, now);
                        }
                        execute(statement);
                        rows.addAndGet(rowsPerStatement);
                    }
                } catch (SQLException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-ceiling");
            threads.add(thread);
            thread.start();
        }
        join(threads);
        if (failure.get() != null) {
            throw new IllegalStateException("the JDBC ceiling failed", failure.get());
        }
        return rows.get() * 1e9 / (System.nanoTime() - start);
    }

    /**
     * The originals of a statement's rows in one order for every connection (a sorted batch, as a careful JDBC
     * client writes it): two statements that share duplicate keys then lock them in the same order and never
     * deadlock.
     */
    private static long[] sortedOriginals(long first, int count) {
        long[] originals = new long[count];
        for (int i = 0; i < count; i++) {
            originals[i] = EventSet.original(first + i);
        }
        Arrays.sort(originals);
        return originals;
    }

    /**
     * Runs one insert, again when it lost a deadlock: two statements inserting the same duplicate keys in different
     * orders wait on each other's uncommitted rows, as two group commits of the server can.
     */
    private static void execute(PreparedStatement statement) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                statement.executeUpdate();
                return;
            } catch (SQLException e) {
                if (!"40P01".equals(e.getSQLState()) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * The same insert from pgbench: {@code rows} rows a statement, every fifth one repeating the key before it,
     * payloads of the same size, built by PostgreSQL from {@code generate_series} instead of sent as parameters.
     */
    private double pgbench(int rows, Duration duration) {
        Path pgbench = Path.of("/usr/bin/pgbench");
        if (!Files.isExecutable(pgbench)) {
            return Double.NaN;
        }
        try {
            Path script = Files.createTempFile("bench-ceiling", ".sql");
            Files.writeString(script, """
                    \\set k random(1, 1000000000000)
                    INSERT INTO bench_ceiling.events (topic, event_id, event_time, source, payload, received_at)
                    SELECT 'pgbench-t' || (i %% 4),
                           'pgbench-' || :k || '-' || (i - CASE WHEN i %% 5 = 4 THEN 1 ELSE 0 END),
                           now(), 'bench',
                           jsonb_build_object('seq', i, 'amount', i * 7919 %% 100000, 'currency', 'EUR',
                                              'note', 'benchmark event with a payload of typical size'),
                           now()
                    FROM generate_series(1, %d) AS i
                    ON CONFLICT DO NOTHING;
                    """.formatted(rows));
            URI url = URI.create(settings.dbUrl().substring("jdbc:".length()));
            int clients = settings.ceilingConnections();
            ProcessBuilder builder = new ProcessBuilder(pgbench.toString(), "-n", "-h", url.getHost(),
                    "-p", Integer.toString(url.getPort() < 0 ? 5432 : url.getPort()), "-U", settings.dbUser(),
                    "-c", Integer.toString(clients), "-j", Integer.toString(clients),
                    "-T", Long.toString(Math.max(1, duration.toSeconds())), "-f", script.toString(),
                    url.getPath().substring(1))
                    .redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", settings.dbPassword());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS);
            Files.deleteIfExists(script);
            Matcher tps = TPS.matcher(output);
            if (process.exitValue() != 0 || !tps.find()) {
                System.err.println("pgbench did not run: " + output);
                return Double.NaN;
            }
            return Double.parseDouble(tps.group(1)) * rows;
        } catch (IOException | RuntimeException e) {
            System.err.println("pgbench did not run: " + e);
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static void join(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
