package org.libertyevents.aggregator.retention;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.config.RetentionSettings;
import org.libertyevents.aggregator.store.RetentionPass;
import org.libertyevents.aggregator.store.RetentionStore;
import org.libertyevents.aggregator.store.StorageReader;
import org.libertyevents.aggregator.store.StoreException;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a retention pass ({@link RetentionStore}) every {@code RETENTION_INTERVAL} on every instance: passes on several
 * instances take turns on partitions and share the row deletes, and each removal is counted once. It runs with
 * retention off too, so that payload partitions on PostgreSQL are there when retention is turned on.
 */
@ApplicationScoped
public class RetentionScheduler {

    private static final Logger LOG = Logger.getLogger(RetentionScheduler.class.getName());

    @Inject
    private RetentionSettings settings;

    @EJB
    private RetentionStore store;

    @EJB
    private StorageReader storage;

    @Inject
    private RetentionMetrics metrics;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> passes;

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        LOG.info(() -> "Retention: payloads " + settings.payloads().map(Object::toString).orElse("kept for ever")
                + ", keys " + settings.keys().map(Object::toString).orElse("remembered for ever") + ", every "
                + settings.interval());
        long every = settings.interval().toMillis();
        passes = scheduler.scheduleWithFixedDelay(this::pass, Math.min(every, 1000), every, TimeUnit.MILLISECONDS);
    }

    private void pass() {
        try {
            long started = System.nanoTime();
            RetentionPass pass = store.run(settings, Instant.now());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.passed(pass, took);
            metrics.observed(storage.read());
            // Creating partitions ahead is routine (one a second with retention in seconds); removals are news.
            LOG.log(pass.expired() > 0 || pass.keysForgotten() > 0 ? Level.INFO : Level.FINE, () -> "Retention pass: "
                    + pass.expired() + " payloads expired, " + pass.partitionsDropped() + " partitions dropped, "
                    + pass.partitionsCreated() + " created, " + pass.keysForgotten() + " keys forgotten in "
                    + took.toMillis() + " ms");
        } catch (StoreException e) {
            // The database down or the schema not ready is reported by readiness; anything else is worth a warning.
            LOG.log(e.kind() == StoreException.Kind.UNAVAILABLE ? Level.FINE : Level.WARNING,
                    "Retention pass failed; the next one tries again: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Retention pass failed; the next one tries again", e);
        }
    }

    @PreDestroy
    void stop() {
        if (passes != null) {
            passes.cancel(false);
        }
    }
}
