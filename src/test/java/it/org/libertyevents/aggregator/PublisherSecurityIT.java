package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.PublisherRuns;
import it.org.libertyevents.aggregator.support.RecordingListener;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher of an instance started with API_KEYS and AGGREGATOR_API_KEY, attacked as issue 14 describes: a
 * run request without a key, as {@code text/plain} (which a web page can send without a CORS preflight), or with a
 * target of the caller's choosing must make the server send nothing anywhere, and the key must never leave for
 * another origin than AGGREGATOR_URL's. Local listeners stand for the network's other hosts and record whatever
 * reaches them.
 */
@MicroShedTest
class PublisherSecurityIT {

    private static final int INSTANCE = 11;
    private static final String KEY = "publisher-it-key";
    private static final Map<String, String> WITH_KEY = Map.of("X-API-Key", KEY);
    /** The IT servers' HTTP_BODY_DEADLINE (aggregator-war.xml); their read timeout (3 s) may come on top. */
    private static final Duration BODY_DEADLINE = Duration.ofSeconds(6);

    private static RecordingListener foreign;
    private static RecordingListener allowed;
    private static String unreachable;
    private static String secured;

    @BeforeAll
    static void start() throws IOException {
        Api.awaitReady();
        foreign = RecordingListener.answering(200);
        // Allowed, but it redirects to the foreign listener, which a run must not follow.
        allowed = RecordingListener.redirectingTo(foreign.url());
        try (ServerSocket free = new ServerSocket(0)) {
            unreachable = "http://127.0.0.1:" + free.getLocalPort();
        }
        secured = Instances.start(INSTANCE, Map.of("API_KEYS", "other-key, " + KEY, "AGGREGATOR_API_KEY", KEY,
                "PUBLISHER_TARGETS", allowed.url() + "," + unreachable, "PUBLISHER_TARGET_WAIT_SECONDS", "3"));
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
        allowed.close();
        foreign.close();
    }

    @Test
    void theRunsApiNeedsAKey() {
        String body = settings(10, null).toString();
        for (HttpResponse<String> refused : List.of(
                PublisherRuns.post(secured, "application/json", body, Map.of()),
                PublisherRuns.post(secured, "application/json", body, Map.of("Authorization", "Bearer wrong")),
                PublisherRuns.post(secured, "application/json", body, Map.of("X-API-Key", KEY + "-but-longer")),
                PublisherRuns.call("GET", secured + "/publisher/runs", Map.of()),
                PublisherRuns.call("GET", secured + "/publisher/runs/any", Map.of()),
                PublisherRuns.call("DELETE", secured + "/publisher/runs/any", Map.of()))) {
            assertEquals(401, refused.statusCode(), refused.request().toString());
            assertProblem(refused);
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        }
        assertEquals(200, PublisherRuns.call("GET", secured + "/publisher/runs",
                Map.of("Authorization", "Bearer " + KEY)).statusCode());
    }

    @Test
    void onlyJsonIsTaken() {
        String body = settings(10, null).toString();
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "*/*", null}) {
            HttpResponse<String> refused = PublisherRuns.post(secured, type, body, WITH_KEY);
            assertEquals(415, refused.statusCode(), String.valueOf(type));
            assertProblem(refused);
        }
    }

    /** The exploit of issue 14, and the same with a key: nothing reaches the target, with a key or without. */
    @Test
    void aForeignTargetIsRefusedAndReachesNothing() {
        String exploit = "{\"count\":10,\"target\":\"" + foreign.url() + "\"}";
        assertEquals(401, PublisherRuns.post(secured, "text/plain", exploit, Map.of()).statusCode());
        for (String target : List.of(foreign.url(), foreign.url() + "/", "HTTP://127.0.0.1:" + port(foreign))) {
            HttpResponse<String> refused = PublisherRuns.post(secured, "application/json",
                    settings(10, target).toString(), WITH_KEY);
            assertEquals(422, refused.statusCode(), target);
            assertProblem(refused);
            assertFalse(refused.body().contains(Integer.toString(port(foreign))), refused.body());
        }
        assertNothingReaches(foreign);
    }

    @Test
    void anAllowedTargetGetsNoKeyAndItsRedirectIsNotFollowed() {
        JsonObject run = PublisherRuns.awaitFinished(PublisherRuns.start(secured, settings(10, allowed.url()),
                WITH_KEY), WITH_KEY);

        assertEquals("failed", run.getString("state"), run.toString());
        assertFalse(allowed.requests().isEmpty(), "the allowed target was asked whether it is ready");
        assertTrue(allowed.requests().stream().noneMatch(RecordingListener.Request::carriesAKey),
                allowed.requests().toString());
        assertNothingReaches(foreign);
    }

    @Test
    void anUnreachableTargetFailsWithoutSayingWhatDidNotAnswer() {
        JsonObject run = PublisherRuns.awaitFinished(PublisherRuns.start(secured, settings(10, unreachable),
                WITH_KEY), WITH_KEY);

        assertEquals("failed", run.getString("state"), run.toString());
        String error = run.getString("error");
        assertTrue(error.contains("not ready"), error);
        String port = unreachable.substring(unreachable.lastIndexOf(':') + 1);
        for (String leak : List.of("127.0.0.1", port, "refused", "Connection", "Exception")) {
            assertFalse(error.contains(leak), "the error says " + leak + ": " + error);
        }
    }

    @Test
    void aBodyTooLargeIsRefusedWhateverItsLengthSays() throws IOException, InterruptedException {
        String large = "{\"topics\": [\"" + "t".repeat(200) + "\"" + (",\"" + "t".repeat(200) + "\"").repeat(100)
                + "]}";
        HttpResponse<String> declared = PublisherRuns.post(secured, "application/json", large, WITH_KEY);
        assertEquals(413, declared.statusCode());
        assertProblem(declared);

        // Of unknown length, the JDK client sends it chunked: no Content-Length to refuse it by.
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(secured + "/publisher/runs")).header("Content-Type", "application/json")
                .header("X-API-Key", KEY).POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(large.getBytes(StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertProblem(chunked);
    }

    @Test
    void tooManyActiveRunsAreRefusedUntilOneEnds() {
        // The default PUBLISHER_MAX_ACTIVE_RUNS is 2; runs against the redirecting target wait 3 s for it.
        String first = PublisherRuns.start(secured, settings(10, allowed.url()), WITH_KEY);
        String second = PublisherRuns.start(secured, settings(10, allowed.url()), WITH_KEY);

        HttpResponse<String> refused = PublisherRuns.post(secured, "application/json", settings(10, null).toString(),
                WITH_KEY);
        assertEquals(429, refused.statusCode(), refused.body());
        assertProblem(refused);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());

        assertEquals(202, PublisherRuns.call("DELETE", first, WITH_KEY).statusCode());
        assertEquals(202, PublisherRuns.call("DELETE", second, WITH_KEY).statusCode());
        assertEquals("cancelled", PublisherRuns.awaitFinished(first, WITH_KEY).getString("state"));
        PublisherRuns.awaitFinished(second, WITH_KEY);
    }

    /**
     * A chunked body, one byte a second, each byte a chunk of its own: Liberty's read timeout (3 s on the IT
     * servers) never fires, as every read completes; the body deadline still ends the request.
     */
    @Test
    void aTricklingBodyIsCutOffAtTheDeadline() throws IOException {
        URI uri = URI.create(secured);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(1_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /publisher/runs HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nX-API-Key: " + KEY
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            long started = System.nanoTime();
            Duration limit = BODY_DEADLINE.plusSeconds(15);
            String answer = null;
            InputStream in = socket.getInputStream();
            while (answer == null && Duration.ofNanos(System.nanoTime() - started).compareTo(limit) < 0) {
                try {
                    out.write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] head = new byte[12];
                    int read = in.readNBytes(head, 0, head.length);
                    // The status line is the answer: after it Liberty still reads what the client sends.
                    answer = read == 0 ? "closed" : new String(head, 0, read, StandardCharsets.ISO_8859_1);
                } catch (SocketTimeoutException stillReading) {
                    // nothing yet: send the next byte
                } catch (IOException closed) {
                    answer = "closed";
                }
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(answer != null, "the server still read the body after " + held);
            assertTrue(answer.equals("closed") || answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(held.compareTo(BODY_DEADLINE.minusSeconds(5)) > 0, "cut off early, by something else: " + held);
        }
    }

    private static JsonObject settings(int count, String target) {
        var settings = Json.createObjectBuilder().add("count", count).add("batch_size", 5);
        if (target != null) {
            settings.add("target", target);
        }
        return settings.build();
    }

    private static int port(RecordingListener listener) {
        return URI.create(listener.url()).getPort();
    }

    private static void assertProblem(HttpResponse<String> response) {
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            assertEquals(response.statusCode(), reader.readObject().getInt("status"));
        }
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    /** For a couple of seconds after the refusal, not one request arrives. */
    private static void assertNothingReaches(RecordingListener listener) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> listener.requests().isEmpty());
    }
}
