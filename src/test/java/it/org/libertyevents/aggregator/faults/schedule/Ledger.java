package it.org.libertyevents.aggregator.faults.schedule;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What one producer sent to its topic and had acknowledged, kept by the client alone: the figures the service's
 * counters and rows are judged against. Events are {@code e0 .. e<n-1>} in batches of {@link #BATCH}; of every ten,
 * eight are distinct, one is a true duplicate (same id and payload as the event before it) and one a conflicting
 * copy (same id as the event before it, another payload), each right behind its original in the same batch, so
 * that which copy a topic stores never depends on the order in which concurrent batches commit.
 */
final class Ledger {

    /** Events per batch, a multiple of ten. */
    static final int BATCH = 50;

    private final String topic;
    private final boolean async;
    private final boolean keyed;
    private final int batches;
    private final BitSet acknowledged = new BitSet();
    private final LongAdder ambiguousEvents = new LongAdder();
    private final LongAdder withoutRetryAfter = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();

    /**
     * @param topic  the producer's own topic
     * @param async  whether it publishes with {@code Prefer: respond-async}
     * @param keyed  whether it sends an {@code Idempotency-Key} per batch
     * @param events how many events it sends, a multiple of {@link #BATCH}
     */
    Ledger(String topic, boolean async, boolean keyed, int events) {
        if (events % BATCH != 0) {
            throw new IllegalArgumentException("events must be a multiple of " + BATCH + ": " + events);
        }
        this.topic = topic;
        this.async = async;
        this.keyed = keyed;
        this.batches = events / BATCH;
    }

    String topic() {
        return topic;
    }

    boolean async() {
        return async;
    }

    boolean keyed() {
        return keyed;
    }

    /** What the producer is, for verdicts: "async keyed", "sync plain"... */
    String label() {
        return (async ? "async" : "sync") + (keyed ? " keyed" : " plain");
    }

    int batches() {
        return batches;
    }

    /** The id of event {@code n}: the copies at every fifth place repeat the id before them. */
    static String id(int n) {
        return "e" + (n % 5 == 4 ? n - 1 : n);
    }

    /** Whether event {@code n} is a conflicting copy: every other copy is, the others are true duplicates. */
    static boolean conflicting(int n) {
        return n % 5 == 4 && (n / 5) % 2 == 1;
    }

    synchronized void acknowledged(int batch) {
        acknowledged.set(batch);
    }

    /** An attempt that may have taken effect though it was not acknowledged (a 5xx, a timeout, a cut connection). */
    void ambiguous(int events) {
        ambiguousEvents.add(events);
    }

    void failed(String kind) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void withoutRetryAfter() {
        withoutRetryAfter.increment();
    }

    /** An answer no retry can change (a 4xx other than 409 and 429): the batch is given up. */
    void unexpected(String answer) {
        unexpected.add(answer);
    }

    synchronized int acknowledgedBatches() {
        return acknowledged.cardinality();
    }

    long acknowledgedEvents() {
        return (long) acknowledgedBatches() * BATCH;
    }

    /** Distinct events of the acknowledged batches: the counter {@code unique} must equal it. */
    long unique() {
        return acknowledgedEvents() / 10 * 8;
    }

    /** Repeats in the acknowledged batches, once each: the true duplicates and the conflicting copies. */
    long duplicates() {
        return acknowledgedEvents() / 10 * 2;
    }

    /** Conflicting copies in the acknowledged batches, once each (a part of {@link #duplicates()}). */
    long conflicts() {
        return acknowledgedEvents() / 10;
    }

    /** The ids of the acknowledged batches' events: each must be stored. */
    synchronized Set<String> acknowledgedIds() {
        return acknowledged.stream().boxed()
                .flatMap(batch -> IntStream.range(batch * BATCH, (batch + 1) * BATCH).mapToObj(Ledger::id))
                .collect(Collectors.toSet());
    }

    long ambiguousEvents() {
        return ambiguousEvents.sum();
    }

    long fiveHundredsWithoutRetryAfter() {
        return withoutRetryAfter.sum();
    }

    List<String> unexpectedAnswers() {
        return List.copyOf(unexpected);
    }

    /** Failed attempts by kind: a status code, "timeout", "connection" or "refused". */
    Map<String, Long> failures() {
        Map<String, Long> counts = new TreeMap<>();
        failures.forEach((kind, count) -> counts.put(kind, count.sum()));
        return counts;
    }
}
