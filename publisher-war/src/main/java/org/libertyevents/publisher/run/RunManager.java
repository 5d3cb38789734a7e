package org.libertyevents.publisher.run;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.libertyevents.publisher.generate.EventGenerator;
import org.libertyevents.publisher.generate.GeneratedRun;
import org.libertyevents.publisher.generate.GenerationSpec;
import org.libertyevents.publisher.send.AggregatorClient;
import org.libertyevents.publisher.send.ApiKeyHeader;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Starts runs and keeps the most recent ones. A run waits for its target to be ready, generates its events,
 * sends the batches from {@code concurrency} workers on the {@link ManagedExecutorService}, waits for the
 * aggregator to drain, and audits the outcome.
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

    /** The aggregator's API key, when it requires one (its API_KEYS). */
    @Inject
    @ConfigProperty(name = "aggregator.api.key")
    private Optional<String> apiKey;

    private final Map<String, Run> runs = new LinkedHashMap<>();

    public Run start(RunSettings settings) {
        Run run = new Run(UUID.randomUUID().toString(), settings);
        synchronized (runs) {
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
        return run;
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
            RestClientBuilder builder = RestClientBuilder.newBuilder()
                    .baseUri(settings.target())
                    .connectTimeout(5, TimeUnit.SECONDS)
                    .readTimeout(60, TimeUnit.SECONDS)
                    .property("microprofile.rest.client.disable.default.mapper", true);
            apiKey.filter(key -> !key.isBlank()).ifPresent(key -> builder.register(new ApiKeyHeader(key.strip())));
            AggregatorClient client = builder.build(AggregatorClient.class);
            GeneratedRun plan = EventGenerator.generate(new GenerationSpec(run.id(), settings.count(),
                    settings.duplicateRatio(), settings.topics(), settings.batchSize(), settings.seed()));
            String notReady = awaitReady(client, run);
            if (notReady != null) {
                run.finish(Run.State.FAILED, null, "the target " + settings.target() + " is not ready: " + notReady);
                return;
            }
            JsonObject before = client.stats();
            run.running();
            sendAll(run, client, plan);
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
            LOG.warning(() -> "Run " + run.id() + " failed: " + e);
            run.finish(Run.State.FAILED, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        LOG.info(() -> "Run " + run.id() + " ended " + run.state() + " after " + run.acknowledged() + " events");
    }

    /** Null once the target reports ready, otherwise the last reason it was not. */
    private String awaitReady(AggregatorClient client, Run run) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(targetWaitSeconds);
        String reason;
        do {
            try (Response response = client.ready()) {
                if (response.getStatus() == 200) {
                    return null;
                }
                reason = "/health/ready answered " + response.getStatus();
            } catch (ProcessingException e) {
                reason = "unreachable (" + e.getMessage() + ")";
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
        } while (System.nanoTime() < deadline && !run.cancelRequested());
        return reason;
    }

    private void sendAll(Run run, AggregatorClient client, GeneratedRun plan) {
        AtomicInteger next = new AtomicInteger();
        long startNanos = System.nanoTime();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < run.settings().concurrency(); w++) {
            workers.add(CompletableFuture.runAsync(() -> work(run, client, plan, next, startNanos), executor));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
    }

    private void work(Run run, AggregatorClient client, GeneratedRun plan, AtomicInteger next, long startNanos) {
        RunSettings settings = run.settings();
        BooleanSupplier cancelled = run::cancelRequested;
        for (int index = next.getAndIncrement(); index < plan.batches().size() && !run.cancelRequested();
             index = next.getAndIncrement()) {
            List<String> batch = plan.batches().get(index);
            if (settings.rate() > 0) {
                // Open-loop pacing: each batch has its due time, however long earlier ones took.
                long due = startNanos + (long) ((double) index * settings.batchSize() / settings.rate() * 1e9);
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
