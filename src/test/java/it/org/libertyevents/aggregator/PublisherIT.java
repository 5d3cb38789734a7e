package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publisher WAR, deployed beside the aggregator, sends runs with true duplicates and audits them. */
@MicroShedTest
class PublisherIT {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void twentyThousandEventsWithTwentyPercentDuplicatesTakeEffectExactlyOnce() throws Exception {
        JsonObject before = Api.stats();
        JsonObject run = awaitFinished(start(Json.createObjectBuilder().add("count", 20_000)
                .add("duplicate_ratio", 0.2).add("batch_size", 200).add("concurrency", 4).add("seed", 7)
                .add("target", Api.baseUrl()).build()));

        assertEquals("succeeded", run.getString("state"), run.toString());
        JsonObject audit = run.getJsonObject("audit");
        assertTrue(audit.getBoolean("exactly_once"), audit.toString());
        assertEquals(16_000, audit.getInt("expected_unique"));
        assertEquals(16_000, audit.getInt("stats_unique_delta"));
        assertEquals(20_000, run.getInt("acknowledged"));
        JsonObject after = Api.stats();
        assertEquals(16_000, after.getJsonNumber("unique_processed").longValue()
                - before.getJsonNumber("unique_processed").longValue());
        StatsIT.assertAddsUp(after);
    }

    @Test
    void smallRunLooksUpEveryEventItSent() throws Exception {
        JsonObject run = awaitFinished(start(Json.createObjectBuilder().add("count", 500).add("batch_size", 1)
                .add("concurrency", 8).add("target", Api.baseUrl()).build()));

        JsonObject audit = run.getJsonObject("audit");
        assertTrue(audit.getBoolean("exactly_once"), run.toString());
        assertEquals(audit.getInt("expected_unique"), audit.getInt("keys_checked"));
        assertEquals(0, audit.getInt("keys_missing"));
    }

    @Test
    void runAgainstATargetThatIsDownFailsClearly() throws Exception {
        JsonObject run = awaitFinished(start(Json.createObjectBuilder().add("count", 100)
                .add("target", "http://127.0.0.1:9").build()));

        assertEquals("failed", run.getString("state"));
        assertTrue(run.getString("error").contains("not ready"), run.toString());
        assertEquals(0, run.getInt("acknowledged"));
    }

    @Test
    void invalidSettingsAreRefused() throws Exception {
        HttpResponse<String> response = post("{\"count\": 0, \"mode\": \"fast\"}");
        assertEquals(422, response.statusCode());
        assertTrue(response.body().contains("mode must be"), response.body());
    }

    private static String start(JsonObject settings) throws IOException, InterruptedException {
        HttpResponse<String> response = post(settings.toString());
        assertEquals(202, response.statusCode(), response.body());
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(Api.baseUrl() + "/publisher/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject awaitFinished(String location) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(location)).build(),
                    HttpResponse.BodyHandlers.ofString());
            try (var reader = Json.createReader(new java.io.StringReader(response.body()))) {
                last.set(reader.readObject());
            }
            String state = last.get().getString("state");
            return state.equals("succeeded") || state.equals("failed") || state.equals("cancelled");
        });
        return last.get();
    }
}
