package it.org.libertyevents.aggregator.support;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Producers as the fault scenarios need them: they publish events {@code e0 .. e<n-1>} of one topic in batches
 * ({@link Api#batchWithDuplicates}: every fifth event repeats the one before it, so 20% are true duplicates) and
 * retry each batch until it is acknowledged (200, or 202 when publishing asynchronously), as a real producer with
 * at-least-once delivery would: after a 503 or 429 (honouring {@code Retry-After}, at most 1 s), a dropped
 * connection or a refused one. A retried batch may already have been committed; the service must then count its
 * events as duplicates, never store them twice.
 *
 * <p>A failed attempt is retried on the next target, as a producer behind a load balancer would be, so that a
 * killed instance's share goes to the others. Batches may be paced to a rate, so that a fault lands mid-run.
 * Every loop is bounded: the run fails when its deadline passes.
 *
 * <p>The producers keep a {@link Ledger} of what they sent: the events of each acknowledged batch, and those of each
 * attempt that ended ambiguously (a 5xx, or a connection lost after it was made: the batch may have been committed
 * all the same). A 429 or a refused connection leaves nothing that could have been counted.
 */
public final class RetryingClients {

    private final List<String> targets;
    private final String topic;
    private final int events;
    private final int batchSize;
    private final boolean async;
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Ledger ledger = new Ledger();
    private final AtomicLong firstRetryAfter = new AtomicLong(-1);
    private final AtomicInteger nextBatch = new AtomicInteger();
    private int eventsPerSecond;

    /**
     * @param targets   base URLs; batch {@code i} goes to {@code targets[i % size]}
     * @param topic     the topic of every event
     * @param events    how many events, a multiple of {@code batchSize}, which is a multiple of 5
     * @param batchSize events per request
     * @param async     whether requests carry {@code Prefer: respond-async}
     */
    public RetryingClients(List<String> targets, String topic, int events, int batchSize, boolean async) {
        if (batchSize % 5 != 0 || events % batchSize != 0) {
            throw new IllegalArgumentException("events must be a multiple of the batch size, a multiple of 5");
        }
        this.targets = List.copyOf(targets);
        this.topic = topic;
        this.events = events;
        this.batchSize = batchSize;
        this.async = async;
    }

    /** Sends batches at most at this rate in all (0: as fast as answers come). */
    public RetryingClients paced(int eventsPerSecond) {
        this.eventsPerSecond = eventsPerSecond;
        return this;
    }

    /** The distinct events among all sent: four in five. */
    public long uniqueEvents() {
        return events / 5L * 4;
    }

    public String topic() {
        return topic;
    }

    /** The base URLs the batches go to. */
    public List<String> targets() {
        return targets;
    }

    /** What these producers sent and had acknowledged, to check the service's counters and rows against. */
    public Ledger ledger() {
        return ledger;
    }

    public int events() {
        return events;
    }

    /** Events acknowledged so far (each once, however often its batch was sent). */
    public long acknowledged() {
        return acknowledged.sum();
    }

    /** Failed attempts so far by kind: a status code, or "connection". */
    public Map<String, Long> failures() {
        Map<String, Long> counts = new TreeMap<>();
        failures.forEach((kind, count) -> counts.put(kind, count.sum()));
        return counts;
    }

    public long retries() {
        return retries.sum();
    }

    /** The Retry-After of the first 503 or 429, in seconds, if one came. */
    public Optional<Long> firstRetryAfter() {
        long value = firstRetryAfter.get();
        return value < 0 ? Optional.empty() : Optional.of(value);
    }

    /**
     * Starts {@code threads} producers in the background; {@link Running#await} waits for them.
     *
     * @param deadline how long the producers may take in all, retries included
     */
    public Running start(int threads, Duration deadline) {
        long startNanos = System.nanoTime();
        long endNanos = startNanos + deadline.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Void>> producers = IntStream.range(0, threads)
                .mapToObj(t -> pool.submit(() -> produce(startNanos, endNanos))).toList();
        pool.shutdown();
        return new Running(pool, producers, deadline);
    }

    /** Producers under way. */
    public static final class Running {
        private final ExecutorService pool;
        private final List<Future<Void>> producers;
        private final Duration deadline;

        private Running(ExecutorService pool, List<Future<Void>> producers, Duration deadline) {
            this.pool = pool;
            this.producers = producers;
            this.deadline = deadline;
        }

        /** Waits until every batch is acknowledged; rethrows a producer's failure. */
        public void await() throws Exception {
            if (!pool.awaitTermination(deadline.toSeconds() + 30, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                throw new AssertionError("the producers did not finish within " + deadline);
            }
            for (Future<Void> producer : producers) {
                producer.get();
            }
        }
    }

    private Void produce(long startNanos, long endNanos) throws InterruptedException {
        int batches = events / batchSize;
        for (int batch = nextBatch.getAndIncrement(); batch < batches; batch = nextBatch.getAndIncrement()) {
            if (eventsPerSecond > 0) {
                long due = startNanos + (long) batch * batchSize * 1_000_000_000L / eventsPerSecond;
                TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
            }
            String body = Api.batchWithDuplicates(topic, "e", batch * batchSize, batchSize);
            for (int attempt = 0; ; attempt++) {
                String target = targets.get((batch + attempt) % targets.size());
                if (System.nanoTime() > endNanos) {
                    throw new AssertionError("batch " + batch + " not acknowledged before the deadline; failures "
                            + failures());
                }
                if (attempt > 0) {
                    retries.increment();
                }
                long pauseMillis;
                try {
                    Reply reply = Api.publishTo(target, body, async);
                    if (reply.status() == (async ? 202 : 200)) {
                        acknowledged.add(batchSize);
                        ledger.acknowledged(body);
                        break;
                    }
                    if (reply.status() != 503 && reply.status() != 429) {
                        throw new AssertionError("batch " + batch + " got " + reply.brief());
                    }
                    if (reply.status() == 503) {
                        ledger.ambiguous(body);
                    }
                    failures.computeIfAbsent(Integer.toString(reply.status()), k -> new LongAdder()).increment();
                    long retryAfter = reply.headers().firstValue("Retry-After").map(Long::parseLong)
                            .orElseThrow(() -> new AssertionError(reply.status() + " without Retry-After"));
                    firstRetryAfter.compareAndSet(-1, retryAfter);
                    pauseMillis = Math.min(1_000, retryAfter * 1_000);
                } catch (UncheckedIOException e) {
                    failures.computeIfAbsent("connection", k -> new LongAdder()).increment();
                    if (!(e.getCause() instanceof ConnectException)) {
                        ledger.ambiguous(body);
                    }
                    pauseMillis = 200;
                }
                Thread.sleep(pauseMillis);
            }
        }
        return null;
    }
}
