package it.org.libertyevents.aggregator.faults.schedule;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.ItRedis;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.Verdicts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import static org.awaitility.Awaitility.await;

/**
 * One round of the schedule: four producers (synchronous and asynchronous, each with and without an
 * {@code Idempotency-Key}) publish to fresh topics of their own across both instances while the round's faults run
 * at their moments; then the cluster drains (nothing pending in either instance or in the broker), the counters
 * must stay still for a while (a stalled consumer that resumes late shows up here), and the verdict is recorded.
 */
final class Round {

    /** How long the counters must stay unchanged once drained before they are judged. */
    private static final Duration SETTLE = Cluster.RECLAIM_IDLE.plusSeconds(1);
    private static final Duration DRAIN = Duration.ofSeconds(180);

    private final Cluster cluster;
    private final long seed;
    private final int events;
    private final int eventsPerSecond;

    /**
     * @param seed            the round's seed, which draws its faults
     * @param events          events per producer, a multiple of {@link Ledger#BATCH}
     * @param eventsPerSecond each producer's pace
     */
    Round(Cluster cluster, long seed, int events, int eventsPerSecond) {
        this.cluster = cluster;
        this.seed = seed;
        this.events = events;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** Runs the round and records its verdict line; a round that cannot be judged throws. */
    RoundVerdict run() throws Exception {
        cluster.awaitUp();
        Duration window = Duration.ofMillis(events * 1000L / eventsPerSecond);
        Schedule schedule = Schedule.draw(seed, window, Cluster.RECLAIM_IDLE, Cluster.INSTANCES,
                Cluster.POOL);
        System.out.println("ROUND seed " + seed + ": " + schedule);
        List<Ledger> ledgers = new ArrayList<>();
        for (boolean async : new boolean[] {false, true}) {
            for (boolean keyed : new boolean[] {true, false}) {
                String label = (async ? "async" : "sync") + (keyed ? "-keyed" : "-plain");
                ledgers.add(new Ledger(Api.freshTopic("schedule-" + seed + "-" + label), async, keyed, events));
            }
        }
        long startNanos = System.nanoTime();
        long deadlineNanos = startNanos + window.multipliedBy(3).plusSeconds(180).toNanos();
        List<ExecutorService> producers = ledgers.stream()
                .map(ledger -> new Producer(ledger, cluster.bases(), eventsPerSecond).start(deadlineNanos)).toList();
        LongAdder readsWithoutRetryAfter = new LongAdder();
        String[] log = new String[schedule.faults().size()];
        ExecutorService faults = runFaults(schedule, startNanos, ledgers.get(0).topic(), readsWithoutRetryAfter, log);
        for (ExecutorService pool : producers) {
            awaitTermination(pool, deadlineNanos, "producers");
        }
        awaitTermination(faults, deadlineNanos, "faults");
        cluster.awaitUp();
        awaitDrained();
        awaitSettled(ledgers);
        RoundVerdict verdict = RoundVerdict.judge(ledgers, cluster, readsWithoutRetryAfter.sum());
        verdict.figures().put("faults", String.join("; ", log));
        verdict.figures().put("took (s)", Duration.ofNanos(System.nanoTime() - startNanos).toSeconds());
        Verdicts.record("fault schedule (seed " + seed + ")", "postgres", verdict.figures());
        return verdict;
    }

    /**
     * Each fault on a thread of its own, at its moment, once the parts it needs are free.
     *
     * @param log filled with what each fault did, in the schedule's order
     */
    private ExecutorService runFaults(Schedule schedule, long startNanos, String topic, LongAdder withoutRetryAfter,
                                      String[] log) {
        Map<String, ReentrantLock> parts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(schedule.faults().size());
        for (int i = 0; i < log.length; i++) {
            Fault fault = schedule.faults().get(i);
            int index = i;
            log[i] = fault + " (did not run)";
            pool.submit(() -> {
                TimeUnit.NANOSECONDS.sleep(startNanos + fault.start().toNanos() - System.nanoTime());
                // Taken in name order, so two faults never wait for each other's parts in a cycle.
                List<ReentrantLock> locks = fault.parts().stream().sorted(Comparator.naturalOrder())
                        .map(part -> parts.computeIfAbsent(part, p -> new ReentrantLock())).toList();
                locks.forEach(ReentrantLock::lock);
                try {
                    String began = seconds(startNanos);
                    String outcome;
                    try {
                        outcome = cluster.inject(fault, topic, withoutRetryAfter);
                    } catch (Exception e) {
                        outcome = "FAILED: " + e;
                    }
                    log[index] = fault + " (ran from t+" + began + " to t+" + seconds(startNanos) + "s: " + outcome
                            + ")";
                } finally {
                    locks.forEach(ReentrantLock::unlock);
                }
                return null;
            });
        }
        pool.shutdown();
        return pool;
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
    }

    private static void awaitTermination(ExecutorService pool, long deadlineNanos, String what)
            throws InterruptedException {
        if (!pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()) + 30_000_000_000L,
                TimeUnit.NANOSECONDS)) {
            pool.shutdownNow();
            throw new AssertionError("the round's " + what + " did not finish before its deadline");
        }
    }

    /** Nothing pending in either instance (its queue and the broker's backlog) nor unacknowledged in the group. */
    private void awaitDrained() {
        await("drained").atMost(DRAIN).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> cluster.bases().stream().allMatch(base -> pending(base) == 0)
                        && ItRedis.unacknowledged(cluster.redisUrl(), cluster.stream()) == 0);
    }

    private static long pending(String base) {
        Reply reply = Api.getFrom(base, "/stats?topics_limit=1");
        return reply.status() == 200 ? reply.json().getJsonNumber("pending").longValue() : -1;
    }

    /** The round's counters unchanged between polls for {@link #SETTLE}. */
    private void awaitSettled(List<Ledger> ledgers) {
        AtomicReference<String> last = new AtomicReference<>("");
        await("counters settled").during(SETTLE).atMost(SETTLE.plusSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    StringBuilder now = new StringBuilder();
                    for (Ledger ledger : ledgers) {
                        now.append(Api.getFrom(cluster.bases().get(0), "/stats?topic=" + Api.encode(ledger.topic()))
                                .array("topics"));
                    }
                    return now.toString().equals(last.getAndSet(now.toString()));
                });
    }
}
