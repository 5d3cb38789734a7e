package org.libertyevents.aggregator.retention;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.libertyevents.aggregator.store.ErasureJob;
import org.libertyevents.aggregator.store.ErasureStore;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Works the bulk erasures ({@code DELETE /events?topic=...}) in the background, on every instance: each second it
 * takes the unfinished ones and erases batch after batch for up to {@value #BUDGET_MILLIS} ms, so that a large
 * erasure proceeds steadily without holding a thread, and one requested on an instance that stops is finished by
 * the others.
 */
@ApplicationScoped
public class ErasureWorker {

    private static final Logger LOG = Logger.getLogger(ErasureWorker.class.getName());
    private static final long BUDGET_MILLIS = 2_000;

    @EJB
    private ErasureStore store;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> ticks;

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        ticks = scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MILLIS);
            for (ErasureJob job : store.unfinished()) {
                boolean finished = false;
                while (!finished && System.nanoTime() - deadline < 0) {
                    finished = store.work(job, Instant.now());
                }
                if (finished) {
                    LOG.info(() -> "Bulk erasure " + job.id() + " of topic " + job.topic() + ", source "
                            + job.source() + " finished");
                }
            }
        } catch (RuntimeException e) {
            // The database is down or the schema not ready: the next tick goes on where this one stopped.
            LOG.log(Level.FINE, "Bulk erasure paused", e);
        }
    }

    @PreDestroy
    void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
