package org.libertyevents.bench;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The subscribers scenario: what delivering the feed costs. A server and database of their own. Webhooks, to a
 * receiver in this JVM that answers 204 at once: a backlog of events is published first, then a subscription
 * {@code from: start} delivers it, one event per POST and in batches of 100 (events delivered per second); and
 * events published one at a time at a steady rate, from the publish's 200 (after its commit) to the receiver's
 * receipt (latency). Live streams: {@value #READERS} readers of {@code GET /events/stream} follow a topic while
 * its events are published in batches (readers times events per second, each reader's count checked exactly).
 */
final class Subscribers {

    static final String NAME = "subscribers";
    /** Instances 1-7 are the other scenarios'. */
    private static final int INSTANCE = 8;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(5);
    private static final int PUBLISH_BATCH = 500;
    private static final int LATENCY_EVENTS = 500;
    private static final long LATENCY_GAP_MILLIS = 20;
    private static final int READERS = 10;
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");

    private final BenchSettings settings;
    private final Databases databases;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Subscribers(BenchSettings settings, Databases databases) {
        this.settings = settings;
        this.databases = databases;
    }

    Result run(BenchServers servers) throws IOException, SQLException, InterruptedException {
        long events = settings.subscriberEvents();
        String measures = String.format("webhook delivery to a receiver on this machine: a backlog of %,d events "
                + "(one per POST) and %,d (batches of 100), then %d events published one by one for latency; "
                + "%d live streams of %,d events; server and database of their own", events, events * 5,
                LATENCY_EVENTS, READERS, events * 2);
        if (!settings.ownServers()) {
            return Result.skipped(NAME, measures, "starts a server and a database of its own: not with bench.target");
        }
        String url = settings.dbUrl().replaceAll("/[^/?]+(\\?.*)?$", "/aggregator_bench_subscribers");
        databases.recreate(url);
        BenchServers.Server server = servers.start(INSTANCE, url, settings.redisUrl(),
                Map.of("SUBSCRIPTIONS_ALLOW_PRIVATE_TARGETS", "true"));
        Result result = new Result(NAME, measures);
        try (Receiver receiver = new Receiver()) {
            Target target = new Target(server.url());
            target.awaitReady(START_TIMEOUT);
            double single = throughput(server.url(), receiver, "single", 1, events);
            result.figure("events/s delivered, one per POST", single, "events/s", null, null, null);
            double batched = throughput(server.url(), receiver, "batched", 100, events * 5);
            result.figure("events/s delivered, batches of 100", batched, "events/s", null, null, null);
            long[] latencies = latency(server.url(), receiver);
            result.figure("commit to delivery p50", percentile(latencies, 50) / 1e6, "ms", null, null, null);
            result.figure("commit to delivery p99", percentile(latencies, 99) / 1e6, "ms", null, null, null);
            long streamed = events * 2;
            double fanOut = fanOut(server.url(), streamed);
            result.figure(READERS + " live streams, events/s each x readers", fanOut, "events/s", null, null,
                    null);
        } finally {
            servers.stop(server);
        }
        return result;
    }

    /** Publishes {@code count} events, then subscribes from the start: events delivered per second. */
    private double throughput(String base, Receiver receiver, String path, int batchSize, long count)
            throws InterruptedException {
        String topic = "bench-webhooks-" + path + "-" + settings.runId();
        for (long first = 0; first < count; first += PUBLISH_BATCH) {
            publish(base, topic, first, (int) Math.min(PUBLISH_BATCH, count - first));
        }
        AtomicLong received = receiver.counter(path);
        long start = System.nanoTime();
        subscribe(base, receiver.url(path), topic, batchSize, "start");
        long deadline = start + DELIVERY_TIMEOUT.toNanos();
        while (received.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + ": " + received.get() + " of " + count + " delivered");
            }
            Thread.sleep(20);
        }
        return count / ((receiver.last(path) - start) / 1e9);
    }

    /**
     * {@value #READERS} streams of one topic, opened before {@code count} events are published in batches: events
     * received per second, summed over the readers, once every reader has every event.
     */
    private double fanOut(String base, long count) throws InterruptedException {
        String topic = "bench-streams-" + settings.runId();
        AtomicLong received = new AtomicLong();
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        CountDownLatch open = new CountDownLatch(READERS);
        for (int i = 0; i < READERS; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/events/stream?topic=" + topic))
                    .timeout(DELIVERY_TIMEOUT).build();
            AtomicLong mine = new AtomicLong();
            readers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
                // The answer's headers come once the stream has its starting point: from here on it gets every event.
                open.countDown();
                // Closing the lines ends the stream's connection once this reader has every event.
                try (Stream<String> lines = response.body()) {
                    lines.filter(line -> line.startsWith("data:")).takeWhile(line -> {
                        received.incrementAndGet();
                        return mine.incrementAndGet() < count;
                    }).forEach(line -> { });
                }
            }));
        }
        if (!open.await(DELIVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("streams: " + open.getCount() + " of " + READERS + " never opened");
        }
        long start = System.nanoTime();
        for (long first = 0; first < count; first += PUBLISH_BATCH) {
            publish(base, topic, first, (int) Math.min(PUBLISH_BATCH, count - first));
        }
        try {
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new))
                    .get(DELIVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("streams: " + received.get() + " of " + count * READERS, e);
        }
        if (received.get() != count * READERS) {
            throw new IllegalStateException("streams received " + received.get() + ", not " + count * READERS);
        }
        return received.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Nanoseconds from each publish's answer to the receipt of its event, for events sent one at a time. */
    private long[] latency(String base, Receiver receiver) throws InterruptedException {
        String topic = "bench-webhooks-latency-" + settings.runId();
        subscribe(base, receiver.url("latency"), topic, 1, "now");
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        for (int i = 0; i < LATENCY_EVENTS; i++) {
            publish(base, topic, i, 1);
            acknowledged.put("e" + i, System.nanoTime());
            Thread.sleep(LATENCY_GAP_MILLIS);
        }
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (receiver.counter("latency").get() < LATENCY_EVENTS && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return acknowledged.entrySet().stream().mapToLong(e -> receiver.receivedAt(e.getKey()) - e.getValue())
                .sorted().toArray();
    }

    private void publish(String base, String topic, long first, int count) {
        JsonArrayBuilder batch = Json.createArrayBuilder();
        for (long i = first; i < first + count; i++) {
            batch.add(Json.createObjectBuilder().add("topic", topic).add("event_id", "e" + i)
                    .add("timestamp", "2026-12-03T00:00:00Z").add("source", "bench")
                    .add("payload", Json.createObjectBuilder().add("seq", i).add("note", "a webhook benchmark event")));
        }
        String reply = send(base + "/publish", batch.build().toString());
        if (!reply.contains("\"results\"")) {
            throw new IllegalStateException("publish failed: " + reply);
        }
    }

    private void subscribe(String base, String url, String topic, int batchSize, String from) {
        String reply = send(base + "/subscriptions", Json.createObjectBuilder().add("url", url)
                .add("topics", Json.createArrayBuilder().add(topic)).add("batch_size", batchSize).add("from", from)
                .build().toString());
        if (Json.createReader(new StringReader(reply)).readObject().getString("id", null) == null) {
            throw new IllegalStateException("subscribe failed: " + reply);
        }
    }

    private String send(String url, String json) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("POST " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long percentile(long[] sorted, int percentile) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }

    /** A receiver that takes everything: counts events per path and notes when each event id first arrived. */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(4);
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        private final Map<String, Long> lastAt = new ConcurrentHashMap<>();
        private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                long now = System.nanoTime();
                String path = exchange.getRequestURI().getPath().substring(1);
                try (exchange; InputStream in = exchange.getRequestBody()) {
                    Matcher ids = EVENT_ID.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    long events = 0;
                    while (ids.find()) {
                        events++;
                        if (path.equals("latency")) {
                            firstSeen.putIfAbsent(ids.group(1), now);
                        }
                    }
                    counter(path).addAndGet(events);
                    lastAt.put(path, now);
                    exchange.sendResponseHeaders(204, -1);
                }
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
        }

        AtomicLong counter(String path) {
            return counts.computeIfAbsent(path, p -> new AtomicLong());
        }

        long last(String path) {
            return lastAt.getOrDefault(path, System.nanoTime());
        }

        long receivedAt(String eventId) {
            return firstSeen.getOrDefault(eventId, Long.MAX_VALUE / 2);
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
