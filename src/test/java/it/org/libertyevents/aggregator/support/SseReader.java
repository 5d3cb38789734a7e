package it.org.libertyevents.aggregator.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client of its own, on {@code java.net.http} and the text of the HTML Living Standard's
 * "event stream interpretation" (fields {@code id}, {@code event}, {@code data}; comments; a blank line dispatches),
 * so that what the tests check does not depend on the server's JAX-RS implementation. A daemon thread reads the
 * stream into a queue; {@link #next} takes from it with a timeout.
 */
public final class SseReader implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One dispatched message: its {@code id} (the last one set, as a browser keeps it), name and data. */
    public record Message(String id, String event, String data) {

        public JsonObject json() {
            try (var reader = Json.createReader(new StringReader(data))) {
                return reader.readObject();
            }
        }
    }

    /** What the queue holds besides messages. */
    public enum Signal { COMMENT, END, FAILED }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private volatile Throwable failure;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Opens the stream at {@code base + pathAndQuery}; returns once the answer's headers are there (30 s at most). */
    public static SseReader open(String base, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        try {
            return new SseReader(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The body of an answer other than 200 (a problem), as JSON. */
    public JsonObject problem() {
        try (InputStream body = response.body();
             var reader = Json.createReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            return reader.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next message, skipping comments; null when nothing came within {@code timeout}. */
    public Message next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object item = take(deadline);
            if (item == null || item instanceof Message) {
                return (Message) item;
            }
            if (item != Signal.COMMENT) {
                throw new AssertionError("the stream ended (" + item + ") before the next message", failure);
            }
        }
    }

    /** The next message, comment or end of the stream; null when nothing came within {@code timeout}. */
    public Object nextItem(Duration timeout) {
        return take(System.nanoTime() + timeout.toNanos());
    }

    /** Drops the connection, as a client that goes away does. */
    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // already gone
        }
    }

    private Object take(long deadline) {
        try {
            return received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        received.add(new Message(id, event, data.substring(0, data.length() - 1)));
                    }
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    received.add(Signal.COMMENT);
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data.append(value).append('\n');
                        default -> {
                            // retry and unknown fields: ignored, as a browser ignores them
                        }
                    }
                }
            }
            received.add(Signal.END);
        } catch (IOException e) {
            failure = e;
            received.add(Signal.FAILED);
        }
    }
}
