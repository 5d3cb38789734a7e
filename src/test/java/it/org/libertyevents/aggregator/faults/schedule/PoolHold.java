package it.org.libertyevents.aggregator.faults.schedule;

import org.awaitility.core.ConditionTimeoutException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.awaitility.Awaitility.await;

/**
 * Holds most of an instance's database connections for a while, from outside: it locks the view
 * {@code events_horizon}, which only {@code GET /events} reads, and sends the instance that many reads, each of
 * which then waits on the lock holding a pooled connection (the instances' read timeout outlasts the hold). The
 * write path never touches the view, so what the instance's writers and consumers meet is a pool with few
 * connections left, as under a burst of slow reads.
 */
final class PoolHold {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private PoolHold() {
    }

    /**
     * Holds {@code connections} of the instance at {@code base} for {@code length}.
     *
     * @param withoutRetryAfter counts reads answered with a 5xx without {@code Retry-After}
     * @return what was held, for the round's log
     */
    static String hold(String databaseUrl, String base, String topic, int connections, Duration length,
                       LongAdder withoutRetryAfter) throws SQLException, InterruptedException {
        List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>(connections);
        long held;
        try (Connection lock = DriverManager.getConnection(databaseUrl, "postgres", "");
             Connection watch = DriverManager.getConnection(databaseUrl, "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE events_horizon IN ACCESS EXCLUSIVE MODE");
            }
            HttpRequest read = HttpRequest.newBuilder(URI.create(base + "/events?topic=" + topic + "&limit=1"))
                    .timeout(length.plusSeconds(30)).GET().build();
            for (int i = 0; i < connections; i++) {
                reads.add(CLIENT.sendAsync(read, HttpResponse.BodyHandlers.ofString()));
            }
            try {
                await("reads waiting on the lock").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> waiting(watch) >= connections);
            } catch (ConditionTimeoutException fewer) {
                // The log says how many were held; fewer is still a fault worth running.
            }
            held = waiting(watch);
            Thread.sleep(length.toMillis());
            lock.rollback();
        }
        for (CompletableFuture<HttpResponse<String>> answer : reads) {
            try {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                if (response.statusCode() >= 500 && response.headers().firstValue("Retry-After").isEmpty()) {
                    withoutRetryAfter.increment();
                }
            } catch (Exception e) {
                // A read cut off with its instance tells nothing about the pool.
            }
        }
        return held + " of its connections held by reads";
    }

    /** On a connection in autocommit: a transaction sees pg_stat_activity as it was at its first look. */
    private static long waiting(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                  AND query LIKE 'SELECT tx FROM events_horizon%'""");
             ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
