package org.libertyevents.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The jetstream scenario, an anchor outside the service: the single scenario's events (the same JSON bodies) published
 * to a NATS JetStream stream made for the run (file storage, deleted after it), each with {@code Nats-Msg-Id}
 * {@code topic/event_id}, so that JetStream drops the duplicates as the service does. Sync: {@code bench.single.clients}
 * threads, each waiting for the ack of its publish before the next (the single scenario's concurrency), on one
 * connection, as NATS advises a process to use: messages per second, p50 and p99. Pipelined: {@code bench.async.clients}
 * threads with {@code publishAsync}, at most {@code bench.jetstream.window} acks outstanding, at most
 * {@code bench.async.events} messages: acked messages per second. Counts are exact as elsewhere: the acks' stored and
 * duplicate verdicts and the stream's new messages must equal the unique and duplicate events sent.
 */
final class JetStreamAnchor {

    static final String NAME = "jetstream";
    static final String SYNC_RATE = "sync messages/s (closed loop)";
    static final String PIPELINED_RATE = "pipelined messages/s";
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final BenchSettings settings;
    private final Scenarios scenarios;

    JetStreamAnchor(BenchSettings settings, Scenarios scenarios) {
        this.settings = settings;
        this.scenarios = scenarios;
    }

    /** What one phase sent and what the acks said; latency in microseconds (sync only). */
    private record Tally(long sent, long stored, long duplicates, long errors, String firstError, long nanos,
                         Histogram latency) {

        double perSecond() {
            return (stored + duplicates) * 1e9 / nanos;
        }
    }

    Result run() throws IOException, InterruptedException {
        String measures = "the single scenario's events published to NATS JetStream (" + settings.natsUrl()
                + ", a file-storage stream of the run's own, Nats-Msg-Id topic/event_id): synchronously from "
                + settings.singleClients() + " threads on one connection in a closed loop, then pipelined "
                + "(publishAsync) from " + settings.asyncClients() + " threads with at most "
                + settings.jetstreamWindow() + " acks outstanding";
        Connection nats;
        try {
            nats = Nats.connect(Options.builder().server(settings.natsUrl()).connectionTimeout(Duration.ofSeconds(5))
                    .maxReconnects(0).build());
        } catch (IOException e) {
            return Result.skipped(NAME, measures, "no NATS at " + settings.natsUrl() + " (" + e.getMessage() + ")");
        }
        String stream = "bench-" + settings.runId();
        try (nats) {
            JetStreamManagement management = nats.jetStreamManagement();
            // The duplicate window spans the run: duplicates repeat originals from anywhere earlier in a phase.
            management.addStream(StreamConfiguration.builder().name(stream).subjects(stream + ".>")
                    .storageType(StorageType.File).duplicateWindow(Duration.ofHours(1)).build());
            try {
                JetStream jetStream = nats.jetStream(JetStreamOptions.builder()
                        .requestTimeout(Duration.ofSeconds(30)).build());
                return measure(measures, jetStream, management, stream);
            } finally {
                management.deleteStream(stream);
            }
        } catch (JetStreamApiException e) {
            throw new IOException("JetStream refused: " + e.getMessage(), e);
        }
    }

    private Result measure(String measures, JetStream jetStream, JetStreamManagement management, String stream)
            throws IOException, JetStreamApiException, InterruptedException {
        Result result = new Result(NAME, measures);
        if (!settings.warmup().isZero()) {
            sync(jetStream, stream, new EventSet(scenarios.prefix(NAME + "-warmup")), settings.warmup());
        }
        OptionalLong server = CpuMeter.pidOf("nats-server");  // CPU and RSS of the server, when it runs here
        ServerProbe probe = ServerProbe.process(server);
        probe.start();
        try {
            long before = messages(management, stream);
            CpuMeter cpu = CpuMeter.start(server);
            Tally sync = sync(jetStream, stream, new EventSet(scenarios.prefix(NAME + "-sync")), settings.duration());
            result.cost("sync", sync.sent(), sync.sent(), cpu.stop());
            long afterSync = messages(management, stream);
            check(result, "sync", sync, afterSync - before);
            cpu = CpuMeter.start(server);
            Tally pipelined = pipelined(jetStream, stream, new EventSet(scenarios.prefix(NAME + "-pipelined")));
            result.cost("pipelined", pipelined.sent(), pipelined.sent(), cpu.stop());
            check(result, "pipelined", pipelined, messages(management, stream) - afterSync);
            result.figure(SYNC_RATE, sync.perSecond(), "messages/s", null, null, null);
            result.figure("sync p50", sync.latency().getValueAtPercentile(50) / 1000.0, "ms", null, null, null);
            result.figure("sync p99", sync.latency().getValueAtPercentile(99) / 1000.0, "ms", null, null, null);
            result.figure(PIPELINED_RATE, pipelined.perSecond(), "messages/s", null, null, null);
        } finally {
            result.server(probe.stop());
        }
        return result;
    }

    /** Closed loop: every thread publishes its next event once the last one's ack is in. */
    private Tally sync(JetStream jetStream, String stream, EventSet events, Duration duration) {
        Counters counters = new Counters();
        long end = counters.start + duration.toNanos();
        long max = scenarios.maxRequests(1);
        run(settings.singleClients(), () -> {
            while (System.nanoTime() < end) {
                long position = counters.next.getAndIncrement();
                if (position >= max) {
                    return;
                }
                long sentAt = System.nanoTime();
                counters.sent.incrementAndGet();
                try {
                    counters.acked(publish(jetStream, stream, events, position));
                    counters.latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - sentAt) / 1000));
                } catch (IOException | JetStreamApiException | RuntimeException e) {
                    counters.error(e.toString());
                }
            }
        });
        return counters.tally();
    }

    /** Pipelined: publishes go out without waiting, as long as fewer than the window await their acks. */
    private Tally pipelined(JetStream jetStream, String stream, EventSet events) throws InterruptedException {
        Counters counters = new Counters();
        long end = counters.start + settings.duration().toNanos();
        int size = settings.jetstreamWindow();
        Semaphore window = new Semaphore(size);
        run(settings.asyncClients(), () -> {
            while (System.nanoTime() < end) {
                long position = counters.next.getAndIncrement();
                if (position >= settings.asyncEvents()) {
                    return;
                }
                try {
                    if (!window.tryAcquire(settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                        counters.error("no ack freed the window in " + settings.drainTimeout().toSeconds() + " s");
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                counters.sent.incrementAndGet();
                try {
                    jetStream.publishAsync(subject(stream, events, position), null, events.body(position, 1),
                                    options(events, position))
                            .whenComplete((ack, failure) -> {
                                if (failure == null) {
                                    counters.acked(ack);
                                } else {
                                    counters.error(failure.toString());
                                }
                                window.release();
                            });
                } catch (RuntimeException e) {
                    counters.error(e.toString());
                    window.release();
                }
            }
        });
        if (window.tryAcquire(size, settings.drainTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            window.release(size);
        } else {
            counters.error((size - window.availablePermits()) + " acks still missing after "
                    + settings.drainTimeout().toSeconds() + " s");
        }
        return counters.tally();
    }

    private static PublishAck publish(JetStream jetStream, String stream, EventSet events, long position)
            throws IOException, JetStreamApiException {
        return jetStream.publish(subject(stream, events, position), null, events.body(position, 1),
                options(events, position));
    }

    private static String subject(String stream, EventSet events, long position) {
        return stream + "." + events.topic(EventSet.original(position));
    }

    private static PublishOptions options(EventSet events, long position) {
        long original = EventSet.original(position);
        return PublishOptions.builder().messageId(events.topic(original) + "/" + events.eventId(original)).build();
    }

    private static long messages(JetStreamManagement management, String stream)
            throws IOException, JetStreamApiException {
        return management.getStreamInfo(stream).getStreamState().getMsgCount();
    }

    private static void check(Result result, String phase, Tally tally, long streamDelta) {
        long unique = EventSet.uniqueIn(tally.sent());
        result.count(phase + "_events", tally.sent());
        result.count(phase + "_unique", unique);
        result.count(phase + "_errors", tally.errors());
        if (tally.firstError() != null) {
            result.count(phase + "_first_error", tally.firstError());
        }
        result.expect(phase + " errors", 0, tally.errors());
        result.expect(phase + " stored in the acks", unique, tally.stored());
        result.expect(phase + " duplicates in the acks", tally.sent() - unique, tally.duplicates());
        result.expect(phase + " new messages in the stream", unique, streamDelta);
    }

    private static void run(int threads, Runnable loop) {
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(loop, "bench-jetstream");
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Shared by a phase's threads and its ack callbacks. */
    private static final class Counters {
        final long start = System.nanoTime();
        final AtomicLong next = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong stored = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong lastAck = new AtomicLong(start);
        final AtomicReference<String> firstError = new AtomicReference<>();
        final Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);

        void acked(PublishAck ack) {
            (ack.isDuplicate() ? duplicates : stored).incrementAndGet();
            lastAck.accumulateAndGet(System.nanoTime(), Math::max);
        }

        void error(String what) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, what);
        }

        /** Rates count until the last ack, so that a pipelined phase includes the acks it waited for. */
        Tally tally() {
            return new Tally(sent.get(), stored.get(), duplicates.get(), errors.get(), firstError.get(),
                    Math.max(1, lastAck.get() - start), latency);
        }
    }
}
