package org.libertyevents.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives {@code POST /publish} from a fixed number of connections, each on its own thread, bounded both by a
 * request count and by a duration. Requests take consecutive positions of an {@link EventSet}, so the events sent
 * are always a prefix of the set and their unique count is exact.
 *
 * <p>Closed loop (each connection sends its next request when the previous one is answered) measures capacity.
 * Open loop measures latency: every request has an intended start time on a fixed schedule and its latency is
 * counted from that time, not from when a delayed connection got round to sending it, so a slow server cannot
 * hide its queueing (no coordinated omission). Requests still unsent when the time is up count with the time
 * they waited.
 */
final class LoadDriver {

    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    private final String target;
    private final EventSet events;
    private final int eventsPerRequest;
    private final boolean async;

    LoadDriver(String target, EventSet events, int eventsPerRequest, boolean async) {
        this.target = target;
        this.events = events;
        this.eventsPerRequest = eventsPerRequest;
        this.async = async;
    }

    /** What one run of the driver did. Latencies are in microseconds. */
    record Outcome(long requests, long events, long stored, long duplicates, long errors, String firstError,
                   long missed, long nanos, Histogram latency) {

        double requestsPerSecond() {
            return requests * 1e9 / nanos;
        }

        double eventsPerSecond() {
            return events * 1e9 / nanos;
        }
    }

    /** Each connection sends back to back. */
    Outcome closedLoop(int connections, Duration duration, long maxRequests) {
        return run(connections, duration, maxRequests, 0);
    }

    /** {@code rate} requests per second in all, on a fixed schedule spread over the connections. */
    Outcome openLoop(int connections, int rate, Duration duration) {
        long maxRequests = Math.max(1, (long) Math.ceil(rate * duration.toNanos() / 1e9));
        return run(connections, duration, maxRequests, rate);
    }

    private Outcome run(int connections, Duration duration, long maxRequests, int rate) {
        AtomicLong next = new AtomicLong();
        List<Worker> workers = new ArrayList<>(connections);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int i = 0; i < connections; i++) {
            Worker worker = new Worker(next, maxRequests, start, end, rate, connections, i);
            workers.add(worker);
            worker.thread.start();
        }
        for (Worker worker : workers) {
            try {
                worker.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        long nanos = System.nanoTime() - start;
        Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        long requests = 0, sent = 0, stored = 0, duplicates = 0, errors = 0, missed = 0;
        String firstError = null;
        for (Worker worker : workers) {
            latency.add(worker.latency);
            requests += worker.requests;
            sent += worker.sent;
            stored += worker.stored;
            duplicates += worker.duplicates;
            errors += worker.errors;
            missed += worker.missed;
            firstError = firstError == null ? worker.firstError : firstError;
        }
        return new Outcome(requests, sent, stored, duplicates, errors, firstError, missed, nanos, latency);
    }

    /** One connection and its thread; counters are read after the thread ended. */
    private final class Worker implements Runnable {

        private final Thread thread = new Thread(this, "bench-load");
        private final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        private final AtomicLong next;
        private final long maxRequests;
        private final long end;
        private final long periodNanos;
        private long intended;
        private long requests, sent, stored, duplicates, errors, missed;
        private String firstError;

        Worker(AtomicLong next, long maxRequests, long start, long end, int rate, int connections, int index) {
            this.next = next;
            this.maxRequests = maxRequests;
            this.end = end;
            // Open loop: this connection's share of the rate, its schedule offset so that the connections interleave.
            this.periodNanos = rate == 0 ? 0 : (long) (1e9 * connections / rate);
            this.intended = start + periodNanos * index / Math.max(connections, 1);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try (HttpConnection connection = new HttpConnection(target, async)) {
                while (true) {
                    if (periodNanos > 0) {
                        long wait = intended - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    long now = System.nanoTime();
                    long sendAt = periodNanos > 0 ? intended : now;
                    if (sendAt >= end) {
                        return;
                    }
                    if (now >= end) {
                        missRest(now);
                        return;
                    }
                    long request = next.getAndIncrement();
                    if (request >= maxRequests) {
                        return;
                    }
                    send(connection, request, sendAt);
                    intended += periodNanos;
                }
            }
        }

        /**
         * The run is over but this connection fell behind its schedule: the requests it never sent count with the
         * time they have waited so far, a lower bound of their latency, so a server that cannot keep up shows it.
         */
        private void missRest(long now) {
            for (long at = intended; at < end; at += periodNanos) {
                latency.recordValue(Math.min(HIGHEST_MICROS, (now - at) / 1000));
                missed++;
            }
        }

        private void send(HttpConnection connection, long request, long sendAt) {
            byte[] body = events.body(request * eventsPerRequest, eventsPerRequest);
            try {
                HttpConnection.Reply reply = connection.publish(body);
                latency.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - sendAt) / 1000));
                requests++;
                sent += eventsPerRequest;
                if (reply.status() == 200) {
                    stored += reply.field("stored");
                    duplicates += reply.field("duplicates");
                } else if (reply.status() != 202) {
                    error("HTTP " + reply.status() + ": " + new String(reply.body(), 0,
                            Math.min(reply.body().length, 300), StandardCharsets.UTF_8));
                }
            } catch (IOException | RuntimeException e) {
                connection.close();
                requests++;
                sent += eventsPerRequest;
                error(e.toString());
            }
        }

        private void error(String what) {
            errors++;
            if (firstError == null) {
                firstError = what;
            }
        }
    }
}
