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
import java.util.Map;
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
        return start(base, settings, Map.of());
    }

    /** Starts a run on the publisher of the instance at {@code base} with extra request headers (an API key...). */
    public static String start(String base, JsonObject settings, Map<String, String> headers) {
        HttpResponse<String> response = post(base, "application/json", settings.toString(), headers);
        if (response.statusCode() != 202) {
            throw new AssertionError("the publisher refused the run: " + response.statusCode() + " " + response.body());
        }
        return response.headers().firstValue("Location").orElseThrow();
    }

    public static HttpResponse<String> post(String body) {
        return post(Api.baseUrl(), body);
    }

    private static HttpResponse<String> post(String base, String body) {
        return post(base, "application/json", body, Map.of());
    }

    /**
     * POSTs {@code body} to {@code /publisher/runs} of the instance at {@code base}.
     *
     * @param contentType the Content-Type header, or null to send none
     * @param headers     further request headers
     */
    public static HttpResponse<String> post(String base, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/publisher/runs"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Sends a request to the publisher with extra headers, e.g. {@code GET} or {@code DELETE} of a run's URL. */
    public static HttpResponse<String> call(String method, String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Polls the run until it has ended, and returns its last state. */
    public static JsonObject awaitFinished(String location) {
        return awaitFinished(location, Map.of());
    }

    /** Polls the run until it has ended, sending {@code headers} (an API key...), and returns its last state. */
    public static JsonObject awaitFinished(String location, Map<String, String> headers) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> response = call("GET", location, headers);
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
