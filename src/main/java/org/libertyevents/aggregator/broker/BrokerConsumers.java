package org.libertyevents.aggregator.broker;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedExecutors;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.config.BrokerSettings;
import org.libertyevents.aggregator.ingest.IngestPipeline;
import org.libertyevents.aggregator.store.EventStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs this instance's share of the consumer group when a broker is configured: {@link BrokerSettings#consumers()}
 * long-running {@link StreamConsumer} tasks on the managed executor, and a periodic maintenance task that trims
 * acknowledged entries, prunes receipts no redelivery can need, forgets consumers of processes long gone and
 * refreshes the broker gauges.
 */
@ApplicationScoped
public class BrokerConsumers {

    private static final Logger LOG = Logger.getLogger(BrokerConsumers.class.getName());

    /** Consumers of stopped processes are forgotten after this long without reading (if they hold no entries). */
    private static final Duration CONSUMER_EXPIRY = Duration.ofHours(1);

    @Inject
    private BrokerSettings settings;

    @Inject
    private RedisStreams streams;

    @Inject
    private BrokerRedis redis;

    @Inject
    private IngestPipeline pipeline;

    @Inject
    private BrokerMetrics metrics;

    @EJB
    private EventStore store;

    @Resource(lookup = "concurrent/ingestExecutor")
    private ManagedExecutorService executor;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private volatile boolean running;
    private final List<StreamConsumer> consumers = new ArrayList<>();
    private final List<Future<?>> tasks = new ArrayList<>();
    private ScheduledFuture<?> maintenance;
    /** Per partition, the watermark receipts were last pruned below; only the maintenance task touches it. */
    private final Map<StreamKeys, Long> prunedBelow = new HashMap<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        if (!streams.enabled()) {
            LOG.info("No REDIS_URL: asynchronous publish is off, every publish commits before it is answered");
            return;
        }
        metrics.register();
        running = true;
        for (int i = 1; i <= settings.consumers(); i++) {
            StreamConsumer consumer = new StreamConsumer(settings.consumer(i), settings, streams, redis, pipeline,
                    store, metrics, () -> running && !Thread.currentThread().isInterrupted());
            consumers.add(consumer);
            // A consumer lives as long as the application: the hint keeps it off the executor's short-task policy.
            tasks.add(executor.submit(ManagedExecutors.managedTask(consumer,
                    Map.of(ManagedTask.LONGRUNNING_HINT, "true", ManagedTask.IDENTITY_NAME, consumer.name()), null)));
        }
        long every = settings.maintenanceEvery().toMillis();
        maintenance = scheduler.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
    }

    private void maintain() {
        try {
            Set<String> own = Set.copyOf(consumers.stream().map(StreamConsumer::name).toList());
            TrimResult total = TrimResult.NONE;
            for (StreamKeys partition : redis.consumed()) {
                TrimResult trim = streams.trim(partition);
                total = total.plus(trim);
                // A prune takes a lock every consumer's commit shares: only when the watermark moved.
                Long pruned = prunedBelow.get(partition);
                if (trim.watermarkMillis() > 0 && (pruned == null || trim.watermarkMillis() > pruned)) {
                    store.pruneReceipts(partition.stream(), trim.watermarkMillis());
                    prunedBelow.put(partition, trim.watermarkMillis());
                }
                streams.removeIdleConsumers(partition, CONSUMER_EXPIRY, own);
            }
            metrics.observed(total, streams.counts());
        } catch (RuntimeException e) {
            // Redis or the database is down: the consumers report it; the next pass tries again.
            LOG.log(Level.FINE, "Broker maintenance skipped", e);
        }
    }

    /** Lets the consumers finish the batch in hand; what they have not acknowledged is redelivered later. */
    @PreDestroy
    void stop() {
        if (!running) {
            return;
        }
        running = false;
        maintenance.cancel(false);
        long deadline = System.nanoTime() + settings.block().toNanos() + TimeUnit.SECONDS.toNanos(10);
        for (Future<?> task : tasks) {
            try {
                task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                task.cancel(true);
            } catch (ExecutionException | TimeoutException e) {
                task.cancel(true);
            }
        }
        // Leave the group tidy; a consumer still holding entries stays, so that they can be reclaimed.
        try {
            for (StreamKeys partition : redis.consumed()) {
                for (StreamConsumer consumer : consumers) {
                    streams.removeConsumer(partition, consumer.name());
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not remove this instance's consumers from the group", e);
        }
    }
}
