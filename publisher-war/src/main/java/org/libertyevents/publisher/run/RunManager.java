package org.libertyevents.publisher.run;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.libertyevents.publisher.generate.EventGenerator;
import org.libertyevents.publisher.generate.GenerationSpec;
import org.libertyevents.publisher.send.AggregatorClient;
import org.libertyevents.publisher.send.AggregatorClients;
import org.libertyevents.publisher.send.BatchSender;
import org.libertyevents.publisher.send.SendOutcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts runs and keeps the most recent ones. A run waits for its target to be ready, sends its batches, generated
 * as they are taken, from {@code concurrency} workers on the {@link ManagedExecutorService}, waits for the
 * aggregator to drain, and audits the outcome. At most {@code PUBLISHER_MAX_ACTIVE_RUNS} runs are unfinished at
 * once. Run errors say what failed in general terms; the details, which may name internal hosts, go to the log.
 */
@ApplicationScoped
public class RunManager {

    private static final Logger LOG = Logger.getLogger(RunManager.class.getName());
    private static final int KEPT_RUNS = 50;
    private static final long POLL_MILLIS = 250;

    @Resource
    private ManagedExecutorService executor;

    @Inject
    private BatchSender sender;

    @Inject
    private PublisherMetrics metrics;

    @Inject
    @ConfigProperty(name = "publisher.target.wait.seconds", defaultValue = "15")
    private long targetWaitSeconds;

    @Inject
    @ConfigProperty(name = "publisher.drain.wait.seconds", defaultValue = "120")
    private long drainWaitSeconds;

    @Inject
    @ConfigProperty(name = "publisher.max.active.runs", defaultValue = "2")
    private int maxActiveRuns;

    @Inject
    private AggregatorClients clients;

    private final Map<String, Run> runs = new LinkedHashMap<>();

    /** Starts a run, or returns empty when {@code PUBLISHER_MAX_ACTIVE_RUNS} runs have not finished yet. */
    public Optional<Run> start(RunSettings settings) {
        Run run = new Run(UUID.randomUUID().toString(), settings);
        synchronized (runs) {
            if (runs.values().stream().filter(r -> !r.finished()).count() >= maxActiveRuns) {
                return Optional.empty();
            }
            runs.put(run.id(), run);
            // Forget the oldest finished runs beyond the last KEPT_RUNS.
            var iterator = runs.values().iterator();
            while (runs.size() > KEPT_RUNS && iterator.hasNext()) {
                if (iterator.next().finished()) {
                    iterator.remove();
                }
            }
        }
        executor.execute(() -> execute(run));
        return Optional.of(run);
    }

    public List<Run> list() {
        synchronized (runs) {
            return new ArrayList<>(runs.values());
        }
    }

    public Optional<Run> find(String id) {
        synchronized (runs) {
            return Optional.ofNullable(runs.get(id));
        }
    }

    /** Asks a run to stop; false when there is no such run. */
    public boolean cancel(String id) {
        Optional<Run> run = find(id);
        run.ifPresent(Run::cancel);
        return run.isPresent();
    }

    private void execute(Run run) {
        RunSettings settings = run.settings();
        run.lastProgressNanos = System.nanoTime();
        try {
            AggregatorClient client = clients.forTarget(settings.target());
            EventGenerator plan = new EventGenerator(new GenerationSpec(run.id(), settings.count(),
                    settings.duplicateRatio(), settings.topics(), settings.batchSize(), settings.seed()));
            String notReady = awaitReady(client, run);
            if (run.cancelRequested()) {
                run.finish(Run.State.CANCELLED, null, "cancelled");
                return;
            }
            if (notReady != null) {
                run.finish(Run.State.FAILED, null, "the target is not ready: " + notReady);
                return;
            }
            JsonObject before = client.stats();
            run.running();
            sendAll(run, client, new BatchFeed(plan.batches()));
            if (run.cancelRequested()) {
                run.finish(Run.State.CANCELLED, null, "cancelled");
                return;
            }
            run.auditing();
            JsonObject after = awaitDrained(client);
            Audit audit = Auditor.audit(run, plan, before, after, client);
            run.finish(audit.exactlyOnce() ? Run.State.SUCCEEDED : Run.State.FAILED, audit,
                    run.failed() > 0 ? run.failed() + " events were not acknowledged: " + run.lastError : null);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "Run " + run.id() + " against " + settings.target() + " failed");
            run.finish(Run.State.FAILED, null, "the run stopped on an unexpected error; the publisher's log has"
                    + " the details");
        }
    }

    /** Null once the target reports ready, otherwise the last reason it was not. */
    private String awaitReady(AggregatorClient client, Run run) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(targetWaitSeconds);
        String reason;
        String detail = null;
        do {
            try (Response response = client.ready()) {
                if (response.getStatus() == 200) {
                    return null;
                }
                reason = "/health/ready answered " + response.getStatus();
                detail = reason;
            } catch (ProcessingException e) {
                reason = "unreachable";
                detail = e.toString();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
        } while (System.nanoTime() < deadline && !run.cancelRequested());
        String last = detail;
        LOG.warning(() -> "Run " + run.id() + ": " + run.settings().target() + " is not ready: " + last);
        return reason;
    }

    private void sendAll(Run run, AggregatorClient client, BatchFeed feed) {
        long startNanos = System.nanoTime();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < run.settings().concurrency(); w++) {
            workers.add(CompletableFuture.runAsync(() -> work(run, client, feed, startNanos), executor));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    }

    private void work(Run run, AggregatorClient client, BatchFeed feed, long startNanos) {
        RunSettings settings = run.settings();
        BooleanSupplier cancelled = run::cancelRequested;
        for (BatchFeed.Numbered next = feed.next(); next != null && !run.cancelRequested(); next = feed.next()) {
            List<String> batch = next.events();
            if (settings.rate() > 0) {
                // Open-loop pacing: each batch has its due time, however long earlier ones took.
                long due = startNanos + (long) ((double) next.index() * settings.batchSize() / settings.rate() * 1e9);
                LockSupport.parkNanos(due - System.nanoTime());
            }
            String body = settings.batchSize() == 1 ? batch.get(0) : "[" + String.join(",", batch) + "]";
            run.sent.addAndGet(batch.size());
            metrics.sent(batch.size());
            SendOutcome outcome = sender.send(client, body, settings.async(), cancelled);
            run.retried.addAndGet(outcome.retries());
            metrics.retried(outcome.retries());
            if (outcome.acknowledged()) {
                run.acknowledged.addAndGet(batch.size());
                run.stored.addAndGet(outcome.stored());
                run.duplicates.addAndGet(outcome.duplicates());
                metrics.acknowledged(batch.size());
            } else {
                run.failed.addAndGet(batch.size());
                run.lastError = outcome.error();
                metrics.failed(batch.size());
            }
            run.lastProgressNanos = System.nanoTime();
        }
    }

    /** The target's stats once nothing is pending there (asynchronous publishes drain after their 202). */
    private JsonObject awaitDrained(AggregatorClient client) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainWaitSeconds);
        JsonObject stats = client.stats();
        while (stats.getJsonNumber("pending").longValue() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
            stats = client.stats();
        }
        return stats;
    }
}
