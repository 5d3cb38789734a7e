package org.libertyevents.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expiry scenario: what removing one day of payloads costs while the service takes batches. A server of its own,
 * on a database of its own, keeps payloads for a day ({@code EVENTS_RETENTION=P1D}, passes every 2 s). The benchmark
 * builds a partition of {@code bench.expiry.rows} payloads received over one day, their keys and their counter,
 * and attaches it with a bound that expires a moment into a batch load; the service's own pass drops it. The
 * figures: how long that pass took (the server's {@code aggregator_retention_pass} timer), the longest any publish
 * waited meanwhile, and the bytes each remembered key takes once a million were inserted one by one.
 */
final class Expiry {

    static final String NAME = "expiry";
    /** Instances 1-6 are the other scenarios'. */
    private static final int INSTANCE = 7;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /** The load goes on this long after the partition expires, so the pass that drops it falls inside it. */
    private static final Duration AFTER = Duration.ofSeconds(15);
    private static final String PARTITION = "events_bench_day";
    /** RetentionStore's partition lock: the fixture changes partitions as the service does, one at a time. */
    private static final long PARTITION_LOCK = 0x4C45_4132L;
    private static final Pattern PASS_MAX =
            Pattern.compile("(?m)^aggregator_retention_pass_seconds_max(?:\\{[^}]*})?\\s+(\\S+)");

    private final BenchSettings settings;
    private final Scenarios scenarios;
    private final Databases databases;

    Expiry(BenchSettings settings, Scenarios scenarios, Databases databases) {
        this.settings = settings;
        this.scenarios = scenarios;
        this.databases = databases;
    }

    Result run(BenchServers servers) throws IOException, SQLException {
        long rows = settings.expiryRows();
        String measures = String.format("batches while retention drops one day of payloads (%,d events), on a server "
                + "and database of their own", rows);
        if (!settings.ownServers()) {
            return Result.skipped(NAME, measures, "starts a server and a database of its own: not with bench.target");
        }
        String url = settings.dbUrl().replaceAll("/[^/?]+(\\?.*)?$", "/aggregator_bench_expiry");
        databases.recreate(url);
        BenchServers.Server server = servers.start(INSTANCE, url, settings.redisUrl(),
                Map.of("EVENTS_RETENTION", "P1D", "RETENTION_INTERVAL", "PT2S"));
        Result result = new Result(NAME, measures);
        try {
            Target target = new Target(server.url());
            target.awaitReady(START_TIMEOUT);
            Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
            long keyBytes = fill(url, from, rows);
            result.figure("bytes per remembered key, " + String.format("%,d", rows) + " inserted one by one",
                    keyBytes / (double) rows, "bytes", null, "<= 100", keyBytes / (double) rows <= 100);
            scenarios.warmUp(target, NAME, settings.batchSize(), settings.batchClients(), false);
            Instant expires = Instant.now().plus(Duration.ofSeconds(10)).truncatedTo(ChronoUnit.SECONDS);
            attach(url, from, expires.minus(Duration.ofDays(1)));
            Target.Stats before = target.stats();
            ServerProbe probe = new ServerProbe(target.url(), server.pid());
            probe.start();
            CpuMeter cpu = CpuMeter.start(server.pid());
            LoadDriver.Outcome outcome;
            try {
                outcome = new LoadDriver(target.url(), new EventSet(scenarios.prefix(NAME)), settings.batchSize(),
                        false).closedLoop(settings.batchClients(), Duration.between(Instant.now(), expires.plus(AFTER)),
                        Long.MAX_VALUE);
            } finally {
                result.server(probe.stop());
            }
            result.cost("closed loop while the day is dropped", outcome.requests(), outcome.events(), cpu.stop());
            Scenarios.checkSync(result, "", outcome, target.awaitDrained(settings.drainTimeout()).minus(before));
            boolean dropped = !exists(url);
            result.expect("day partition dropped during the load", 1, dropped ? 1 : 0);
            double pass = passSeconds(target.metrics());
            result.figure("retention pass that dropped the day", pass, "s", null, "<= 5", dropped && pass <= 5);
            double longest = outcome.latency().getMaxValue() / 1000.0;
            result.figure("longest publish meanwhile", longest, "ms", null, "<= 1000", longest <= 1000);
            result.figure("p99 publish meanwhile", outcome.latency().getValueAtPercentile(99) / 1000.0, "ms", null,
                    null, null);
            result.figure("events/s committed meanwhile", outcome.eventsPerSecond(), "events/s", null, null, null);
        } finally {
            servers.stop(server);
        }
        return result;
    }

    /**
     * A table shaped as a payload partition, holding {@code rows} payloads received evenly over the day from
     * {@code from}, with the feed's indexes (attached, not rebuilt, later); their keys and their counter go where
     * the service keeps them. Returns the key table's size in bytes, indexes included.
     */
    private long fill(String url, Instant from, long rows) throws SQLException {
        try (Connection connection = databases.connect(url); Statement sql = connection.createStatement()) {
            sql.execute("SET synchronous_commit = off");
            sql.execute("CREATE TABLE " + PARTITION + " (LIKE events INCLUDING DEFAULTS)");
            long chunk = 250_000;
            for (long start = 1; start <= rows; start += chunk) {
                long end = Math.min(rows, start + chunk - 1);
                sql.executeUpdate("""
                        WITH day AS (
                            SELECT 'bench-expiry-day' AS topic, 'day-' || i AS event_id,
                                   TIMESTAMPTZ '%s' + make_interval(secs => i * 86399.0 / %d) AS received_at,
                                   jsonb_build_object('seq', i, 'amount', i * 7919 %% 100000, 'currency', 'EUR',
                                                      'note', 'benchmark event with a payload of typical size')
                                       AS payload
                            FROM generate_series(CAST(%d AS bigint), CAST(%d AS bigint)) AS i),
                        keys AS (
                            INSERT INTO event_keys (key_hash, first_seen, payload_hash)
                            SELECT event_key_hash(topic, event_id), received_at, hashtextextended(payload::text, 0)
                            FROM day)
                        INSERT INTO %s (topic, event_id, event_time, source, payload, received_at)
                        SELECT topic, event_id, received_at, 'bench', payload, received_at FROM day""".formatted(
                        from, rows, start, end, PARTITION));
            }
            sql.executeUpdate("INSERT INTO topic_stats (topic, unique_count, duplicate_count, conflict_count) "
                    + "VALUES ('bench-expiry-day', " + rows + ", 0, 0)");
            sql.execute("CREATE INDEX ON " + PARTITION + " (tx, seq)");
            sql.execute("CREATE INDEX ON " + PARTITION + " (topic, tx, seq)");
            sql.execute("CREATE INDEX ON " + PARTITION + " (topic, event_id)");
            sql.execute("VACUUM ANALYZE " + PARTITION);
            sql.execute("VACUUM ANALYZE event_keys");
            try (var size = sql.executeQuery("SELECT pg_total_relation_size('event_keys')")) {
                size.next();
                return size.getLong(1);
            }
        }
    }

    /**
     * Attaches the day as a partition ending at {@code to}, recorded as the service records its own. The table of
     * before V10 (empty here) covers everything until the migration, so it goes first.
     */
    private void attach(String url, Instant from, Instant to) throws SQLException {
        try (Connection connection = databases.connect(url); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(false);
            sql.execute("SELECT pg_advisory_xact_lock(" + PARTITION_LOCK + ")");
            sql.execute("ALTER TABLE events DETACH PARTITION events_v9");
            sql.execute("DROP TABLE events_v9");
            sql.execute("DELETE FROM event_partitions WHERE name = 'events_v9'");
            String range = "received_at >= TIMESTAMPTZ '" + from + "' AND received_at < TIMESTAMPTZ '" + to + "'";
            sql.execute("ALTER TABLE " + PARTITION + " ADD CONSTRAINT " + PARTITION + "_range CHECK (" + range + ")");
            sql.execute("ALTER TABLE events ATTACH PARTITION " + PARTITION + " FOR VALUES FROM (TIMESTAMPTZ '" + from
                    + "') TO (TIMESTAMPTZ '" + to + "')");
            sql.execute("INSERT INTO event_partitions (name, received_from, received_to) VALUES ('" + PARTITION
                    + "', TIMESTAMPTZ '" + from + "', TIMESTAMPTZ '" + to + "')");
            connection.commit();
        }
    }

    private boolean exists(String url) throws SQLException {
        try (Connection connection = databases.connect(url); Statement sql = connection.createStatement();
             var row = sql.executeQuery("SELECT to_regclass('" + PARTITION + "') IS NOT NULL")) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private static double passSeconds(String metrics) {
        Matcher max = PASS_MAX.matcher(metrics);
        return max.find() ? Double.parseDouble(max.group(1)) : Double.NaN;
    }
}
