package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.Verdicts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst far beyond what a stalled instance can take (its writers and consumers wait on a table lock the test
 * holds) meets its bounds: the ingest queue ({@code INGEST_QUEUE_CAPACITY}) and the broker backlog
 * ({@code BROKER_MAX_BACKLOG_EVENTS}). What fits is acknowledged and stored once the stall ends; the rest gets 503
 * with {@code Retry-After} at once and is not stored; the heap stays within the instance's {@code -Xmx}, set low
 * so that a bound that does not hold would show as an {@code OutOfMemoryError} rather than hide in a large default.
 */
@MicroShedTest
class OverloadIT {

    private static final int INSTANCE = 9;
    private static final int QUEUE_CAPACITY = 2_000;
    private static final int BACKLOG_LIMIT = 3_000;
    private static final int REQUESTS = 40;
    private static final int BATCH = 500;
    private static final int HEAP_LIMIT_MIB = 256;
    private static final Pattern HEAP = Pattern.compile("(?m)^memory_(used|max)Heap_bytes(\\{[^}]*})? ([0-9.E+]+)");
    private static String instance;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        // One partition: the backlog limit is shared out among partitions, and this bound is the broker's in all.
        instance = Instances.start(INSTANCE, Map.of("BROKER_STREAM", FaultRun.stream("overload"),
                "BROKER_PARTITIONS", "1", "INGEST_QUEUE_CAPACITY", Integer.toString(QUEUE_CAPACITY),
                "BROKER_MAX_BACKLOG_EVENTS", Integer.toString(BACKLOG_LIMIT),
                "JVM_ARGS", "-Xmx" + HEAP_LIMIT_MIB + "m"));
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    @Test
    void aBurstBeyondTheBoundsIsRefusedWithRetryAfterAndWhatFitsIsStoredOnce() throws Exception {
        String syncTopic = Api.freshTopic("overload-sync");
        String asyncTopic = Api.freshTopic("overload-async");
        Ledger ledger = new Ledger();
        Map<Integer, Integer> syncStatuses = new ConcurrentHashMap<>();
        Map<Integer, Integer> asyncStatuses = new ConcurrentHashMap<>();
        AtomicLong peakHeap = new AtomicLong();
        long maxHeap = heap(instance).get("max");
        assertTrue(maxHeap <= (long) HEAP_LIMIT_MIB << 20, "the instance runs with its heap limit: " + (maxHeap >> 20));
        ExecutorService clients = Executors.newFixedThreadPool(2 * REQUESTS);
        List<Future<?>> answers = new ArrayList<>();
        try (AutoCloseable stalled = ItDatabase.lockTable("events")) {
            for (int r = 0; r < REQUESTS; r++) {
                int first = r * BATCH;
                answers.add(clients.submit(() -> send(ledger, syncTopic, first, false, syncStatuses)));
                answers.add(clients.submit(() -> send(ledger, asyncTopic, first, true, asyncStatuses)));
            }
            // Only what the queue holds may still wait for its commit; everything else is answered at once.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                peakHeap.accumulateAndGet(heap(instance).get("used"), Math::max);
                return total(asyncStatuses) == REQUESTS && total(syncStatuses) >= REQUESTS - QUEUE_CAPACITY / BATCH;
            });
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS), "every request answered after the stall");
        for (Future<?> answer : answers) {
            answer.get();
        }
        Api.awaitDrained(instance, Duration.ofSeconds(120));

        int syncAccepted = syncStatuses.getOrDefault(200, 0);
        int asyncAccepted = asyncStatuses.getOrDefault(202, 0);
        assertEquals(REQUESTS, syncAccepted + syncStatuses.getOrDefault(503, 0), "sync answers: " + syncStatuses);
        assertEquals(REQUESTS, asyncAccepted + asyncStatuses.getOrDefault(503, 0), "async answers: " + asyncStatuses);
        assertTrue(syncAccepted >= 1 && syncAccepted <= QUEUE_CAPACITY / BATCH, "sync accepted: " + syncStatuses);
        assertTrue(asyncAccepted >= 1 && asyncAccepted <= BACKLOG_LIMIT / BATCH, "async accepted: " + asyncStatuses);
        long[] syncRows = ItDatabase.rows(syncTopic);
        long[] asyncRows = ItDatabase.rows(asyncTopic);
        // The ledger holds the acknowledged requests only: a refused one must leave no row and no count behind.
        List<Ledger.Check> checks = List.of(
                ledger.check(syncTopic, Ledger.Counters.at(instance, syncTopic), syncRows),
                ledger.check(asyncTopic, Ledger.Counters.at(instance, asyncTopic), asyncRows));
        assertEquals(syncAccepted * BATCH / 5 * 4, ledger.distinct(syncTopic), "sync ledger");
        assertEquals(asyncAccepted * BATCH / 5 * 4, ledger.distinct(asyncTopic), "async ledger");
        assertTrue(peakHeap.get() < maxHeap, "heap " + peakHeap + " within " + maxHeap);
        assertEquals(200, FaultRun.readiness(instance));

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("requests", 2 * REQUESTS);
        figures.put("acknowledged", syncAccepted + asyncAccepted);
        figures.put("503 with Retry-After", 2 * REQUESTS - syncAccepted - asyncAccepted);
        figures.put("stored", syncRows[0] + asyncRows[0]);
        figures.putAll(Verdicts.ledgerFigures(checks));
        figures.put("heap peak (MiB)", peakHeap.get() >> 20);
        figures.put("heap max (MiB)", maxHeap >> 20);
        Verdicts.record("overload (burst against a stalled instance)", "postgres", figures);
        checks.forEach(Ledger.Check::assertMatches);
    }

    /** One request; only an acknowledged one goes into the ledger, since a 503 here claims that nothing was kept. */
    private static Void send(Ledger ledger, String topic, int first, boolean async, Map<Integer, Integer> statuses) {
        String body = Api.batchWithDuplicates(topic, "e", first, BATCH);
        Reply reply = Api.publishTo(instance, body, async);
        if (reply.status() == (async ? 202 : 200)) {
            ledger.acknowledged(body);
        }
        if (reply.status() == 503) {
            assertTrue(reply.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After");
            assertTrue(reply.contentType().startsWith("application/problem+json"), reply.brief());
        }
        statuses.merge(reply.status(), 1, Integer::sum);
        return null;
    }

    private static int total(Map<Integer, Integer> statuses) {
        return statuses.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Used and maximum heap in bytes, from the instance's /metrics. */
    private static Map<String, Long> heap(String base) {
        Map<String, Long> heap = new LinkedHashMap<>();
        Matcher matcher = HEAP.matcher(Api.text(base, "/metrics?scope=base"));
        while (matcher.find()) {
            heap.put(matcher.group(1), (long) Double.parseDouble(matcher.group(3)));
        }
        if (heap.size() != 2) {
            throw new AssertionError("no heap figures in /metrics");
        }
        return heap;
    }
}
