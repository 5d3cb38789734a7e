package org.libertyevents.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The aggregator under test, as its HTTP API shows it: readiness and the {@code /stats} counters. */
final class Target {

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Target(String url) {
        this.url = url;
    }

    String url() {
        return url;
    }

    /** The counters the scenarios check their exact counts against. */
    record Stats(long received, long unique, long duplicates, long pending) {

        Stats minus(Stats before) {
            return new Stats(received - before.received, unique - before.unique, duplicates - before.duplicates,
                    pending);
        }
    }

    Stats stats() {
        JsonObject json = Json.createReader(new StringReader(get("/stats"))).readObject();
        return new Stats(json.getJsonNumber("received").longValue(), json.getJsonNumber("unique_processed").longValue(),
                json.getJsonNumber("duplicate_dropped").longValue(), json.getJsonNumber("pending").longValue());
    }

    /** The server's {@code /metrics}, in the Prometheus text format. */
    String metrics() {
        return get("/metrics");
    }

    /** Waits for {@code pending} to reach 0 and returns the stats then; throws when the timeout passes first. */
    Stats awaitDrained(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Stats stats = stats();
            if (stats.pending() == 0) {
                return stats;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        stats.pending() + " events still pending after " + timeout.toSeconds() + " s");
            }
            pause(250);  // polled like a dashboard, not in a tight loop
        }
    }

    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<Void> response =
                        http.send(request("/health/ready"), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " is not ready after " + timeout.toSeconds() + " s");
            }
            pause(500);
        }
    }

    /**
     * Waits until the readiness check {@code check} reports {@code status} ({@code /health/ready} answers 503 with
     * the same body while a check is down); throws when the timeout passes first.
     */
    void awaitCheck(String check, String status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long attempt = 0, attempts = timeout.toMillis() / 250 + 1; attempt < attempts; attempt++) {
            try {
                HttpResponse<String> response =
                        http.send(request("/health/ready"), HttpResponse.BodyHandlers.ofString());
                JsonObject health = Json.createReader(new StringReader(response.body())).readObject();
                if (health.getJsonArray("checks").getValuesAs(JsonObject.class).stream().anyMatch(
                        c -> check.equals(c.getString("name", "")) && status.equals(c.getString("status", "")))) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                // not answering with a health body right now: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            pause(250);
        }
        throw new IllegalStateException(url + ": readiness check " + check + " is not " + status + " after "
                + timeout.toSeconds() + " s");
    }

    private String get(String path) {
        try {
            HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + url + path + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30)).build();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
