package it.org.libertyevents.aggregator.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;

/** Runs of the publisher WAR deployed beside the aggregator under test ({@code /publisher/runs}). */
public final class PublisherRuns {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private PublisherRuns() {
    }

    /** Starts a run on the build's server and returns its URL; fails unless the publisher accepted the settings. */
    public static String start(JsonObject settings) {
        return start(Api.baseUrl(), settings);
    }

    /** Starts a run on the publisher of the instance at {@code base}. */
    public static String start(String base, JsonObject settings) {
        HttpResponse<String> response = post(base, settings.toString());
        if (response.statusCode() != 202) {
            throw new AssertionError("the publisher refused the run: " + response.statusCode() + " " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    public static HttpResponse<String> post(String body) {
        return post(Api.baseUrl(), body);
    }

    private static HttpResponse<String> post(String base, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + "/publisher/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Polls the run until it has ended, and returns its last state. */
    public static JsonObject awaitFinished(String location) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(location)).build());
            try (var reader = Json.createReader(new StringReader(response.body()))) {
                last.set(reader.readObject());
            }
            String state = last.get().getString("state");
            return state.equals("succeeded") || state.equals("failed") || state.equals("cancelled");
        });
        return last.get();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
