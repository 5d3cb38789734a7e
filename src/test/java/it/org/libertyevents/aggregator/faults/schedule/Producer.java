package it.org.libertyevents.aggregator.faults.schedule;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An at-least-once producer of one topic, as a real client behind a load balancer: it publishes its
 * {@link Ledger}'s batches, synchronously or with {@code Prefer: respond-async}, with or without an
 * {@code Idempotency-Key} per batch, paced to a rate, and retries each batch until it is acknowledged (200, or 202
 * when asynchronous), on the other instance after a failure. Its own timeout is short (a paused instance answers
 * nothing). Every attempt's outcome goes to the ledger: acknowledged, ambiguous (it may have taken effect), a 5xx
 * without {@code Retry-After}, an answer no retry can change. Every loop ends at the deadline.
 */
final class Producer {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int THREADS = 2;

    private final Ledger ledger;
    private final List<String> targets;
    private final int eventsPerSecond;
    private final AtomicInteger nextBatch = new AtomicInteger();

    Producer(Ledger ledger, List<String> targets, int eventsPerSecond) {
        this.ledger = ledger;
        this.targets = List.copyOf(targets);
        this.eventsPerSecond = eventsPerSecond;
    }

    /** Starts the producer's threads; the returned pool terminates when every batch is acknowledged or given up. */
    ExecutorService start(long deadlineNanos) {
        long startNanos = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            pool.submit(() -> {
                produce(startNanos, deadlineNanos);
                return null;
            });
        }
        pool.shutdown();
        return pool;
    }

    private void produce(long startNanos, long deadlineNanos) throws InterruptedException {
        for (int batch = nextBatch.getAndIncrement(); batch < ledger.batches(); batch = nextBatch.getAndIncrement()) {
            long due = startNanos + (long) batch * Ledger.BATCH * 1_000_000_000L / eventsPerSecond;
            TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
            String body = body(batch);
            String key = "\"" + ledger.topic() + "/" + batch + "\"";
            for (int attempt = 0; System.nanoTime() < deadlineNanos; attempt++) {
                long pauseMillis = send(batch, targets.get((batch + attempt) % targets.size()), body, key);
                if (pauseMillis < 0) {
                    break;
                }
                Thread.sleep(pauseMillis);
            }
        }
    }

    /** One attempt: -1 when the batch is done with (acknowledged or given up), else the pause before the next. */
    private long send(int batch, String target, String body, String key) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + "/publish"))
                .header("Content-Type", "application/json").timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (ledger.async()) {
            request.header("Prefer", "respond-async");
        }
        if (ledger.keyed()) {
            request.header("Idempotency-Key", key);
        }
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException refused) {
            ledger.failed("refused");   // never reached the service
            return 200;
        } catch (HttpTimeoutException timeout) {
            ledger.failed("timeout");
            ledger.ambiguous(Ledger.BATCH);
            return 0;
        } catch (IOException cut) {
            ledger.failed("connection");
            ledger.ambiguous(Ledger.BATCH);
            return 200;
        }
        int status = response.statusCode();
        if (status == (ledger.async() ? 202 : 200)) {
            ledger.acknowledged(batch);
            return -1;
        }
        ledger.failed(Integer.toString(status));
        OptionalLong retryAfter = response.headers().firstValueAsLong("Retry-After");
        if (status >= 500) {
            // It may have committed before failing: a retry may then count its events once more.
            ledger.ambiguous(Ledger.BATCH);
            if (retryAfter.isEmpty()) {
                ledger.withoutRetryAfter();
            }
        } else if (status != 409 && status != 429) {
            ledger.unexpected(status + " " + response.body());
            return -1;
        }
        return Math.min(1_000, retryAfter.orElse(1) * 1_000);
    }

    private String body(int batch) {
        JsonArrayBuilder events = Json.createArrayBuilder();
        for (int n = batch * Ledger.BATCH; n < (batch + 1) * Ledger.BATCH; n++) {
            String id = Ledger.id(n);
            events.add(Json.createObjectBuilder()
                    .add("topic", ledger.topic())
                    .add("event_id", id)
                    .add("timestamp", "2026-11-21T10:15:30Z")
                    .add("source", "fault-schedule")
                    .add("payload", Json.createObjectBuilder().add("id", id).add("copy", Ledger.conflicting(n))));
        }
        return events.build().toString();
    }
}
