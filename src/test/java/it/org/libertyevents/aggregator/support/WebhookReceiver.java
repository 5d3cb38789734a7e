package it.org.libertyevents.aggregator.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A webhook receiver for tests: a real HTTP server on a loopback port of its own that answers each POST as the test's
 * {@link Behaviour} says (take it, fail with a status, drop the connection, or answer too late), checks every
 * Standard Webhooks signature with its own HMAC code against the secret it was given, and records every attempt.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** What to do with one delivery. */
    public enum Answer { TAKE, FAIL_500, FAIL_429, FAIL_503_RETRY_AFTER_2, DROP, TOO_LATE, GONE }

    /** One POST as received, with its W3C trace context headers (null when absent). */
    public record Attempt(String webhookId, long timestamp, String signatures, byte[] body,
                          boolean signatureValid, List<JsonObject> events, Answer answer, long receivedNanos,
                          String traceparent, String tracestate) {

        /** Whether one of the attempt's signatures is that of {@code secret}. */
        public boolean signedWith(String secret) {
            return Arrays.asList(signatures == null ? new String[0] : signatures.split(" "))
                    .contains("v1," + sign(key(secret), webhookId, timestamp, body));
        }

        /** The events' keys, as topic and event id joined by a slash. */
        public List<String> keys() {
            return events.stream().map(e -> e.getString("topic") + "/" + e.getString("event_id")).toList();
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Function<Attempt, Answer> behaviour;
    private final List<Attempt> attempts = new ArrayList<>();
    private final long lateMillis;
    private volatile byte[] key;

    /**
     * @param behaviour  decides each attempt's answer, given the attempt so far (its answer field is null)
     * @param lateMillis how long a {@link Answer#TOO_LATE} answer waits: longer than the sender's timeout
     */
    public WebhookReceiver(Function<Attempt, Answer> behaviour, long lateMillis) throws IOException {
        this.behaviour = behaviour;
        this.lateMillis = lateMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The secret deliveries must be signed with, as the subscription answered it ({@code whsec_...}). */
    public void secret(String secret) {
        key = key(secret);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Every attempt so far, in the order they arrived. */
    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The attempts answered 2xx, in the order they arrived. */
    public synchronized List<Attempt> taken() {
        return attempts.stream().filter(a -> a.answer() == Answer.TAKE).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
            long ts = timestamp == null ? -1 : Long.parseLong(timestamp);
            byte[] secret = key;
            boolean valid = id != null && signatures != null && secret != null
                    && Arrays.asList(signatures.split(" ")).contains("v1," + sign(secret, id, ts, body));
            Attempt attempt = new Attempt(id, ts, signatures, body, valid, events(body), null, System.nanoTime(),
                    exchange.getRequestHeaders().getFirst("traceparent"),
                    exchange.getRequestHeaders().getFirst("tracestate"));
            Answer answer = behaviour.apply(attempt);
            synchronized (this) {
                attempts.add(new Attempt(id, ts, signatures, body, valid, attempt.events(), answer,
                        attempt.receivedNanos(), attempt.traceparent(), attempt.tracestate()));
            }
            switch (answer) {
                case TAKE -> respond(exchange, 204);
                case FAIL_500 -> respond(exchange, 500);
                case FAIL_429 -> {
                    exchange.getResponseHeaders().add("Retry-After", "0");
                    respond(exchange, 429);
                }
                case FAIL_503_RETRY_AFTER_2 -> {
                    exchange.getResponseHeaders().add("Retry-After", "2");
                    respond(exchange, 503);
                }
                case GONE -> respond(exchange, 410);
                case DROP -> { } // closed without an answer
                case TOO_LATE -> {
                    try {
                        Thread.sleep(lateMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    /** The events of a body: the one event, or those of {@code {"events": [...]}}. */
    private static List<JsonObject> events(byte[] body) {
        try (var reader = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
            JsonObject json = reader.readObject();
            return json.containsKey("events")
                    ? json.getJsonArray("events").getValuesAs(JsonValue::asJsonObject) : List.of(json);
        }
    }

    private static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    private static String sign(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}
