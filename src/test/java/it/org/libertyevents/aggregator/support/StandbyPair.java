package it.org.libertyevents.aggregator.support;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * A PostgreSQL primary and its synchronous standby of the test's own (ports 5444 and 5445, data under
 * {@code target/}), as an operator runs them: the standby a {@code pg_basebackup -R} copy, every commit waiting for
 * it ({@code synchronous_standby_names = '*'}, on the copy too, as it would be on servers that share a configuration),
 * and WAL kept ({@code wal_keep_size}) for a standby that was away and for {@code pg_rewind}.
 * Roles change: {@link #failOver} kills the primary and promotes the standby, {@link #rejoin} brings the old primary
 * back as the new one's standby.
 */
public final class StandbyPair implements AutoCloseable {

    public static final String DATABASE = "failover";
    private static final Path DIR = Path.of(System.getProperty("user.dir"), "target", "pgha-" + UUID.randomUUID());

    private OwnPostgres primary;
    private OwnPostgres standby;

    private StandbyPair(OwnPostgres primary) {
        this.primary = primary;
    }

    public static StandbyPair start(int primaryPort, int standbyPort) {
        StandbyPair pair = new StandbyPair(OwnPostgres.start(primaryPort, DIR.resolve(Integer.toString(primaryPort))));
        try {
            pair.primary.createDatabase(DATABASE);
            pair.primary.configure("synchronous_standby_names", "*");
            // WAL kept for a standby that was away, and for pg_rewind, which reads the old primary's own WAL back to
            // the last checkpoint before the fork (its crash recovery would otherwise recycle it).
            pair.primary.configure("wal_keep_size", "256MB");
            pair.standby = OwnPostgres.standbyOf(pair.primary, standbyPort,
                    DIR.resolve(Integer.toString(standbyPort)));
            pair.awaitSynchronous();
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    /** The multi-host URL the instances use: the driver connects to whichever of the two takes writes. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port() + "/" + DATABASE
                + "?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=5";
    }

    public OwnPostgres primary() {
        return primary;
    }

    public OwnPostgres standby() {
        return standby;
    }

    /**
     * Kills the primary's postmaster with SIGKILL, promotes the standby and clears its
     * {@code synchronous_standby_names} (it has no standby now, and every commit would wait); returns how long the
     * promotion took.
     *
     * @param killed called with {@link System#nanoTime()} right after the kill
     */
    public Duration failOver(java.util.function.LongConsumer killed) {
        primary.killPostmaster();
        killed.accept(System.nanoTime());
        long promoting = System.nanoTime();
        standby.promote();
        Duration promotion = Duration.ofNanos(System.nanoTime() - promoting);
        standby.configure("synchronous_standby_names", "");
        OwnPostgres old = primary;
        primary = standby;
        standby = old;
        return promotion;
    }

    /** Brings the crashed old primary back as the standby of the new one ({@code pg_rewind -R}), synchronous again. */
    public void rejoin() {
        // The promoted server's control file names its new timeline only after a checkpoint; before it, pg_rewind
        // finds both on the same timeline and rewinds nothing, and the old primary cannot follow.
        primary.execute("CHECKPOINT");
        // pg_rewind needs the old postmaster's backends gone, which may take a moment after the kill.
        await("pg_rewind of the old primary").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    standby.rewindAsStandbyOf(primary);
                    return true;
                });
        primary.configure("synchronous_standby_names", "*");
        awaitSynchronous();
    }

    /** Waits until the primary streams to the standby synchronously. */
    public void awaitSynchronous() {
        await("a synchronous standby").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> !query(primary, "SELECT pid FROM pg_stat_replication "
                        + "WHERE sync_state = 'sync' AND state = 'streaming'").isEmpty());
    }

    /** Whether {@code server} runs as a standby ({@code pg_is_in_recovery()}). */
    public static boolean inRecovery(OwnPostgres server) {
        return "t".equals(query(server, "SELECT pg_is_in_recovery()").get(0));
    }

    /**
     * The rows {@code server} holds for {@code topic} and the distinct event ids among them (as the suite's
     * {@code ItDatabase.rows}, with this pair's own superuser, so that the H2 suite can run the test too).
     */
    public static long[] rows(OwnPostgres server, String topic) {
        return ItDatabase.rows(server.url(DATABASE), "postgres", "", topic);
    }

    /** The rows the current primary holds for {@code topic}; see {@link #rows(OwnPostgres, String)}. */
    public long[] rows(String topic) {
        return rows(primary, topic);
    }

    /** The first column of every row of {@code sql} in the pair's database on {@code server}, as text. */
    public static List<String> query(OwnPostgres server, String sql) {
        try (Connection connection = DriverManager.getConnection(server.url(DATABASE), "postgres", "");
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet rows = select.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                String value = rows.getString(1);
                values.add(value == null ? "" : value);
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + " on port " + server.port(), e);
        }
    }

    @Override
    public void close() {
        for (OwnPostgres server : new OwnPostgres[] {standby, primary}) {
            if (server != null) {
                server.close();
            }
        }
        try {
            Files.deleteIfExists(DIR);
        } catch (IOException e) {
            System.err.println("could not delete " + DIR + ": " + e);
        }
    }
}
