package org.libertyevents.bench;

import jakarta.json.Json;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A dashboard left open during a measurement, polling what {@code src/main/webapp/ui/dashboard.js} polls:
 * {@code GET /stats?topics_limit=200} a fixed pause after the previous answer, then the newest events
 * ({@code GET /events?order=desc&limit=15}) whenever {@code received} moved, and {@code /health/ready} every 5 s on
 * a timer of its own. It records how long each {@code /stats} answer took and every one that was not a 200.
 */
final class DashboardPoller {

    private static final Duration HEALTH_PAUSE = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final String target;
    private final Duration statsPause;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
    private volatile boolean polling;
    private long polls, failures, eventsFailures;
    private String firstFailure;
    private long lastReceived = -1;
    private Thread stats;
    private Thread health;

    DashboardPoller(String target, Duration statsPause) {
        this.target = target;
        this.statsPause = statsPause;
    }

    /**
     * What the dashboard saw: {@code /stats} polls, those not answered 200, their latency in microseconds, and the
     * events reads that failed.
     */
    record Figures(long polls, long failures, String firstFailure, Histogram latency, long eventsFailures) {
    }

    /** Starts polling; it stops by itself after {@code limit} if {@link #stop()} is not called first. */
    void start(Duration limit) {
        polling = true;
        long deadline = System.nanoTime() + limit.toNanos();
        stats = loop("bench-dashboard-stats", this::pollStats, statsPause, limit, deadline);
        health = loop("bench-dashboard-health", this::pollHealth, HEALTH_PAUSE, limit, deadline);
    }

    /** Stops polling (a poll under way is cut off and not counted) and returns the figures. */
    Figures stop() {
        polling = false;
        for (Thread thread : new Thread[] {stats, health}) {
            thread.interrupt();
            try {
                thread.join(REQUEST_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            return new Figures(polls, failures, firstFailure, latency.copy(), eventsFailures);
        }
    }

    private Thread loop(String name, Poll poll, Duration pause, Duration limit, long deadline) {
        long most = limit.toMillis() / Math.max(1, pause.toMillis()) + 1;
        Thread thread = new Thread(() -> {
            try {
                for (long i = 0; i < most && polling && System.nanoTime() < deadline; i++) {
                    poll.run();
                    Thread.sleep(pause.toMillis());
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void pollStats() throws InterruptedException {
        long start = System.nanoTime();
        long received;
        try {
            HttpResponse<String> response = get("/stats?topics_limit=200");
            long micros = (System.nanoTime() - start) / 1000;
            if (response.statusCode() != 200) {
                failed("HTTP " + response.statusCode());
                return;
            }
            received = Json.createReader(new StringReader(response.body())).readObject()
                    .getJsonNumber("received").longValue();
            synchronized (this) {
                polls++;
                latency.recordValue(Math.min(HIGHEST_MICROS, micros));
            }
        } catch (IOException | RuntimeException e) {
            failed(e.toString());
            return;
        }
        if (received != lastReceived) {
            lastReceived = received;
            try {
                if (get("/events?order=desc&limit=15").statusCode() != 200) {
                    eventsFailed();
                }
            } catch (IOException e) {
                eventsFailed();
            }
        }
    }

    private void pollHealth() throws InterruptedException {
        try {
            get("/health/ready");
        } catch (IOException e) {
            // the dashboard shows the checks as unknown and polls again
        }
    }

    private synchronized void failed(String why) {
        polls++;
        failures++;
        if (firstFailure == null) {
            firstFailure = why;
        }
    }

    private synchronized void eventsFailed() {
        eventsFailures++;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(target + path)).header("Accept", "application/json")
                .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One poll; interrupted when the dashboard stops. */
    @FunctionalInterface
    private interface Poll {
        void run() throws InterruptedException;
    }
}
