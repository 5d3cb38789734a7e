package it.org.libertyevents.aggregator.support;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.microshed.testing.ManuallyStartedConfiguration;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;

/**
 * The aggregator's HTTP API as the integration tests call it. The base URL is the one MicroShed Testing's manual
 * mode resolves from the failsafe properties (microshed_hostname, microshed_http_port), so the tests run against
 * whichever server the build started.
 */
public final class Api {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Api() {
    }

    public static String baseUrl() {
        return ManuallyStartedConfiguration.getRuntimeURL().replaceAll("/+$", "");
    }

    /** A topic no other test (or earlier run) has used. */
    public static String freshTopic(String purpose) {
        return "it-" + purpose + "-" + UUID.randomUUID();
    }

    public static JsonObject event(String topic, String eventId) {
        return Json.createObjectBuilder()
                .add("topic", topic)
                .add("event_id", eventId)
                .add("timestamp", "2026-11-21T10:15:30Z")
                .add("source", "it")
                .add("payload", Json.createObjectBuilder().add("id", eventId).add("n", 1))
                .build();
    }

    /** An event as JSON text with the payload given as JSON text, so that a test controls its exact spelling. */
    public static String event(String topic, String eventId, String payload) {
        return "{\"topic\":\"" + topic + "\",\"event_id\":\"" + eventId
                + "\",\"timestamp\":\"2026-11-21T10:00:00Z\",\"source\":\"it\",\"payload\":" + payload + "}";
    }

    public static String batch(JsonObject... events) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (JsonObject event : events) {
            array.add(event);
        }
        return array.build().toString();
    }

    public static Reply publish(String json) {
        return publish("application/json", json);
    }

    public static Reply publish(String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/publish"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Publishes with extra request headers (CloudEvents binary mode, Idempotency-Key...). */
    public static Reply publishWithHeaders(String contentType, String body, Map<String, String> headers) {
        return publishWithHeadersTo(baseUrl(), contentType, body, headers);
    }

    /** Publishes to the instance at {@code base} with extra request headers. */
    public static Reply publishWithHeadersTo(String base, String contentType, String body,
                                             Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/publish"))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    public static Reply publishBytes(byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/publish"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public static CompletableFuture<Reply> publishAsync(String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/publish"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(Api::reply);
    }

    /** Publishes to the instance at {@code base}; with {@code respondAsync}, asks for 202 through the broker. */
    public static Reply publishTo(String base, String json, boolean respondAsync) {
        return publishWithHeadersTo(base, "application/json", json,
                respondAsync ? Map.of("Prefer", "respond-async") : Map.of());
    }

    /** GET from the instance at {@code base}. */
    public static Reply getFrom(String base, String pathAndQuery) {
        return getFrom(base, pathAndQuery, Map.of());
    }

    /** GET from the instance at {@code base} with extra request headers (an API key...). */
    public static Reply getFrom(String base, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    /** GET from the instance at {@code base} without waiting for the answer (a long poll), for up to 90 s. */
    public static CompletableFuture<Reply> getAsyncFrom(String base, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(90)).GET().build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(Api::reply);
    }

    /** A request with a JSON body ({@code POST}, {@code PATCH}) to the instance at {@code base}. */
    public static Reply sendTo(String base, String method, String pathAndQuery, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** DELETE at the instance at {@code base}, with extra request headers (an API key...). */
    public static Reply deleteAt(String base, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).DELETE();
        headers.forEach(request::header);
        return send(request.build());
    }

    /** One topic's entry in the /stats of the instance at {@code base}, or null when it has no counters yet. */
    public static JsonObject topicEntryAt(String base, String topic) {
        for (JsonValue value : getFrom(base, "/stats?topic=" + encode(topic)).json().getJsonArray("topics")) {
            if (value.asJsonObject().getString("name").equals(topic)) {
                return value.asJsonObject();
            }
        }
        return null;
    }

    /**
     * A metric of the instance's Prometheus scrape ({@code /metrics}), summed over its label sets (0 when absent): the
     * series of exactly {@code name}, not of names that start with it.
     */
    public static long metric(String base, String name) {
        return text(base, "/metrics").lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** The body of a 200 answer as text (for /metrics, which is not JSON). */
    public static String text(String base, String pathAndQuery) {
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError(pathAndQuery + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The instance's /stats. */
    public static JsonObject statsAt(String base) {
        Reply reply = getFrom(base, "/stats");
        if (reply.status() != 200) {
            throw new AssertionError("GET /stats answered " + reply.status() + ": " + reply.body());
        }
        return reply.json();
    }

    /** Waits until nothing is pending at {@code base}, locally or in the broker, and returns the stats then. */
    public static JsonObject awaitDrained(String base, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> statsAt(base), stats -> stats.getJsonNumber("pending").longValue() == 0);
    }

    /**
     * A batch of {@code count} events of {@code topic} whose ids are {@code prefix + n} for n from {@code first};
     * every fifth event repeats the id of the one before it (a true duplicate: same id, same payload).
     */
    public static String batchWithDuplicates(String topic, String prefix, int first, int count) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (int i = 0; i < count; i++) {
            int n = first + i;
            int id = n % 5 == 4 ? n - 1 : n;
            array.add(event(topic, prefix + id));
        }
        return array.build().toString();
    }

    public static Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).GET().build());
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public static JsonObject stats() {
        return stats("");
    }

    /** /stats with a query ({@code "?topic=..."} or {@code ""}). */
    public static JsonObject stats(String query) {
        Reply reply = get("/stats" + query);
        if (reply.status() != 200) {
            throw new AssertionError("GET /stats answered " + reply.status() + ": " + reply.body());
        }
        return reply.json();
    }

    /** /stats with only {@code topic} in its topic list. */
    public static JsonObject topicStats(String topic) {
        return stats("?topic=" + encode(topic));
    }

    /** The counters of one topic in /stats, or zeros when the topic has none yet. */
    public static long[] topicCounts(String topic) {
        for (JsonValue value : topicStats(topic).getJsonArray("topics")) {
            JsonObject counters = value.asJsonObject();
            if (counters.getString("name").equals(topic)) {
                return new long[] {counters.getJsonNumber("unique").longValue(),
                        counters.getJsonNumber("duplicates").longValue()};
            }
        }
        return new long[] {0, 0};
    }

    /** Waits until /health/ready reports UP, preparing the database first. */
    public static void awaitReady() {
        ItDatabase.prepare();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> get("/health/ready").status() == 200);
    }

    private static Reply send(HttpRequest request) {
        try {
            return reply(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Reply reply(HttpResponse<String> response) {
        String text = response.body();
        JsonValue body = JsonValue.NULL;
        if (text != null && !text.isBlank() && response.headers().firstValue("Content-Type")
                .map(type -> type.contains("json")).orElse(false)) {
            try (var reader = Json.createReader(new StringReader(text))) {
                body = reader.readValue();
            }
        }
        return new Reply(response.statusCode(), response.headers(), body);
    }
}
