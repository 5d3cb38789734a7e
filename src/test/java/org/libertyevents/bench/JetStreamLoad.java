package org.libertyevents.bench;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The jetstream scenario's load: events of an {@link EventSet} published to one stream, each on subject
 * {@code <stream>.<topic>} with {@code Nats-Msg-Id} {@code topic/event_id}, in a closed loop or pipelined, bounded
 * in count and in time like the HTTP load driver. Positions are taken in order, so the events sent are a prefix of
 * the set and their unique count is exact.
 */
final class JetStreamLoad {

    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final BenchSettings settings;
    private final Scenarios scenarios;
    private final JetStream jetStream;
    private final String stream;

    JetStreamLoad(BenchSettings settings, Scenarios scenarios, JetStream jetStream, String stream) {
        this.settings = settings;
        this.scenarios = scenarios;
        this.jetStream = jetStream;
        this.stream = stream;
    }

    /** What one phase sent and what the acks said; latency in microseconds (sync only). */
    record Tally(long sent, long stored, long duplicates, long errors, String firstError, long nanos,
                         Histogram latency) {

        double perSecond() {
            return (stored + duplicates) * 1e9 / nanos;
        }
    }

    /** Closed loop: every thread publishes its next event once the last one's ack is in. */
    Tally sync(EventSet events, Duration duration) {
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
                    counters.acked(publish(events, position));
                    counters.latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - sentAt) / 1000));
                } catch (IOException | JetStreamApiException | RuntimeException e) {
                    counters.error(e.toString());
                }
            }
        });
        return counters.tally();
    }

    /** Pipelined: publishes go out without waiting, as long as fewer than the window await their acks. */
    Tally pipelined(EventSet events) throws InterruptedException {
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
                    jetStream.publishAsync(subject(events, position), null, events.body(position, 1),
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

    private PublishAck publish(EventSet events, long position)
            throws IOException, JetStreamApiException {
        return jetStream.publish(subject(events, position), null, events.body(position, 1),
                options(events, position));
    }

    private String subject(EventSet events, long position) {
        return stream + "." + events.topic(EventSet.original(position));
    }

    private static PublishOptions options(EventSet events, long position) {
        long original = EventSet.original(position);
        return PublishOptions.builder().messageId(events.topic(original) + "/" + events.eventId(original)).build();
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
