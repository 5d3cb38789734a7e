package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.HostileRequests;
import it.org.libertyevents.aggregator.support.HostileRequests.Request;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.RawHttp;
import it.org.libertyevents.aggregator.support.Verdicts;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and malformed input, at least a thousand requests: the fixed corpus of {@link HostileRequests} plus its
 * seeded generator ({@code -Dit.hostile.seed}, {@code -Dit.hostile.generated}). Every request gets a 4xx with an
 * RFC 9457 body that names no server internals; nothing is stored or counted; the server stays ready.
 */
@MicroShedTest
class HostileInputIT {

    private static final long SEED = Long.getLong("it.hostile.seed", 20261121L);
    private static final int GENERATED = Integer.getInteger("it.hostile.generated", 1_000);
    /** What a stack trace, a container message or a product banner would show. */
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|\\bat [a-z]+\\.[a-z]+\\.|java\\.|jakarta\\.|org\\.libertyevents|SRVE\\d|CWW[A-Z]+\\d|WebSphere"
                    + "|Liberty|Parsson|EclipseLink|PSQLException|SQL");

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void everyHostileRequestGetsAProblemAndNothingIsStoredOrCounted() {
        String topic = Api.freshTopic("hostile");
        List<Request> requests = new ArrayList<>(HostileRequests.corpus(topic));
        requests.addAll(HostileRequests.generated(topic, SEED, GENERATED));
        long receivedBefore = Api.stats().getJsonNumber("received").longValue();

        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Request request : requests) {
            String failure;
            try {
                RawHttp.Answer answer = RawHttp.send(Api.baseUrl(), request.method(), request.target(),
                        request.headers(), request.body());
                statuses.merge(answer.status(), 1, Integer::sum);
                failure = request.byContainer() ? containerFailure(answer) : problemFailure(answer);
            } catch (IOException e) {
                failure = "no answer: " + e;
            }
            if (failure != null) {
                failures.add(request.name() + ": " + failure);
            }
        }

        long serverErrors = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue)
                .sum();
        long clientErrors = statuses.entrySet().stream().filter(e -> e.getKey() >= 400 && e.getKey() < 500)
                .mapToLong(Map.Entry::getValue).sum();
        long[] rows = ItDatabase.isPostgres() ? ItDatabase.rows(topic) : listed(topic);
        long received = Api.stats().getJsonNumber("received").longValue() - receivedBefore;
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("bad requests", requests.size());
        verdict.put("4xx", clientErrors);
        verdict.put("5xx", serverErrors);
        verdict.put("stored", rows[0]);
        verdict.put("counted", received);
        verdict.put("statuses", statuses);
        Verdicts.record("hostile input (seed " + SEED + ")", ItDatabase.isPostgres() ? "postgres" : "h2", verdict);

        assertTrue(requests.size() >= 1_000, "at least 1,000 bad requests: " + requests.size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + requests.size() + " requests were not refused "
                + "cleanly; the first ones:\n" + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        assertArrayEquals(new long[] {0, 0}, rows, "nothing of a refused request is stored");
        assertEquals(0, received, "nothing of a refused request is counted");
        assertEquals(200, Api.get("/health/ready").status(), "the server stays ready");
    }

    /**
     * A client that stops sending mid-request (slowloris) is cut off after the read timeout the integration-test
     * servers run with ({@code HTTP_READ_TIMEOUT} 3s), instead of holding a connection and a thread for good.
     */
    @Test
    void aStalledRequestIsCutOffAfterTheReadTimeout() throws IOException {
        URI uri = URI.create(Api.baseUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
            String head = "POST /publish HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n[{\"topic\":";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            try {
                in.readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server still held the stalled request after 20 s", e);
            } catch (IOException reset) {
                // A reset is as good as a close: the server let go.
            }
            Duration held = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(held.compareTo(Duration.ofSeconds(15)) < 0, "held for " + held);
        }
        assertEquals(200, Api.get("/health/ready").status());
    }

    /**
     * A client that trickles a large body, fast enough for every read to finish within the read timeout but so slowly
     * that the whole body would take about 25 s, is answered 408 once the body deadline the integration-test
     * servers run with ({@code HTTP_BODY_DEADLINE} 6s) has passed, and nothing of it is stored. The read
     * timeout alone lets it hold the request for as long as the bytes keep coming.
     */
    @Test
    void aTricklingBodyIsAnsweredAtTheBodyDeadline() throws Exception {
        String topic = Api.freshTopic("trickle");
        String pad = "x".repeat(1000);
        String[] events = new String[1000];
        for (int i = 0; i < events.length; i++) {
            events[i] = "{\"topic\":\"" + topic + "\",\"event_id\":\"" + i + "\","
                    + "\"timestamp\":\"2026-11-21T10:00:00Z\",\"source\":\"trickle\","
                    + "\"payload\":{\"pad\":\"" + pad + "\"}}";
        }
        byte[] body = ("[" + String.join(",", events) + "]").getBytes(StandardCharsets.UTF_8);
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < body.length; from += 4096) {
            pieces.add(Arrays.copyOfRange(body, from, Math.min(body.length, from + 4096)));
        }
        // 4 KiB every 100 ms: about 40 KB/s, so the 1 MB body takes about 25 s.
        Trickled answer = trickle("Content-Length: " + body.length, pieces, Duration.ofMillis(100));
        assertTrue(answer.after().compareTo(Duration.ofSeconds(15)) < 0, answer.toString());
        assertTrue(answer.head().startsWith("HTTP/1.1 408"), answer.head());
        assertTrue(answer.head().toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"),
                answer.head());
        assertArrayEquals(new long[] {0, 0}, Api.topicCounts(topic));
        assertEquals(200, Api.get("/health/ready").status());
    }

    /**
     * The same with a chunked body, one byte per chunk and per second: every read of Liberty's completes, so its
     * read timeout never ends it; the body deadline does.
     */
    @Test
    void aChunkedTrickleIsAnsweredAtTheBodyDeadline() throws Exception {
        byte[] body = Api.batch(Api.event(Api.freshTopic("trickle-chunked"), "1")).getBytes(StandardCharsets.UTF_8);
        // Never the whole body: the last byte and the closing chunk are not sent.
        List<byte[]> chunks = new ArrayList<>();
        for (int at = 0; at < body.length - 1; at++) {
            chunks.add(("1\r\n" + (char) body[at] + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        Trickled answer = trickle("Transfer-Encoding: chunked", chunks, Duration.ofSeconds(1));
        assertTrue(answer.after().compareTo(Duration.ofSeconds(15)) < 0, answer.toString());
        assertTrue(answer.head().startsWith("HTTP/1.1 408"), answer.head());
        assertEquals(200, Api.get("/health/ready").status());
    }

    /** The status line and headers a trickled request got, and how long after its headers they came. */
    private record Trickled(String head, Duration after) {
    }

    /**
     * Sends a POST /publish with {@code framing} (Content-Length or Transfer-Encoding) and then one of
     * {@code pieces} every {@code interval}, until the server answers or closes.
     */
    private static Trickled trickle(String framing, List<byte[]> pieces, Duration interval) throws IOException {
        URI uri = URI.create(Api.baseUrl());
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) Duration.ofSeconds(40).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /publish HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nContent-Type: application/json\r\n"
                    + framing + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            long started = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            trickler.scheduleAtFixedRate(() -> {
                int at = next.getAndIncrement();
                if (at < pieces.size()) {
                    try {
                        out.write(pieces.get(at));
                        out.flush();
                    } catch (IOException closed) {
                        next.set(pieces.size());
                    }
                }
            }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            String head = readHead(socket.getInputStream());
            return new Trickled(head, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            trickler.shutdownNow();
        }
    }

    /** The status line and headers of an answer, read up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int b = in.read(); b >= 0 && !head.toString().endsWith("\r\n\r\n"); b = in.read()) {
            head.append((char) b);
        }
        return head.toString();
    }

    /** Without SQL access to the embedded database: the events GET /events lists for the topic, twice. */
    private static long[] listed(String topic) {
        long count = Api.get("/events?limit=1000&topic=" + Api.encode(topic)).json().getJsonArray("events").size();
        return new long[] {count, count};
    }

    /** The web container's own refusals need only be a 400 without a stack trace. */
    private static String containerFailure(RawHttp.Answer answer) {
        return answer.status() == 400 && !answer.body().contains("Exception") ? null
                : "expected the container's 400, got " + answer.status() + " " + answer.body();
    }

    /** Why an answer is not a clean refusal, or {@code null} when it is. */
    private static String problemFailure(RawHttp.Answer answer) {
        String brief = answer.status() + " " + answer.body().substring(0, Math.min(200, answer.body().length()));
        if (answer.status() < 400 || answer.status() >= 500) {
            return "expected a 4xx, got " + brief;
        }
        if (!answer.headers().getOrDefault("content-type", "").startsWith("application/problem+json")) {
            return "expected application/problem+json, got " + answer.headers().get("content-type") + ": " + brief;
        }
        if (answer.headers().containsKey("server") || answer.headers().containsKey("x-powered-by")
                || answer.headers().containsKey("$wsep")) {
            return "the answer names the server: " + answer.headers();
        }
        JsonObject problem;
        try (var reader = Json.createReader(new StringReader(answer.body()))) {
            problem = reader.readObject();
        } catch (JsonException e) {
            return "the body is not a JSON object: " + brief;
        }
        if (problem.getInt("status", -1) != answer.status() || !problem.containsKey("title")
                || !problem.containsKey("type")) {
            return "not an RFC 9457 problem matching the status: " + brief;
        }
        if (INTERNALS.matcher(answer.body()).find()) {
            return "the body names server internals: " + brief;
        }
        return null;
    }
}
