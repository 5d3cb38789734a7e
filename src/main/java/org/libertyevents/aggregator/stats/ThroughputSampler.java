package org.libertyevents.aggregator.stats;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.libertyevents.aggregator.ingest.IngestMetrics;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the last {@code stats.history.minutes} of this instance's throughput, so that a dashboard opened or
 * reloaded shows it at once. Once a second it reads the cumulative counters {@link IngestMetrics} keeps anyway and
 * stores their growth in a {@link SecondRing}: nothing is added to the publish path. Per instance and in memory:
 * several instances each hold their own, and a restart starts empty.
 */
@ApplicationScoped
public class ThroughputSampler {

    static final int MAX_MINUTES = 1440;
    private static final long PERIOD_MILLIS = 1000;

    @Inject
    private IngestMetrics metrics;

    @Inject
    @ConfigProperty(name = "stats.history.minutes", defaultValue = "10")
    private int minutes;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private SecondRing ring;
    private long[] previous;
    private ScheduledFuture<?> ticks;

    @PostConstruct
    void init() {
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new IllegalArgumentException("STATS_HISTORY_MINUTES must be 1-" + MAX_MINUTES + ", not " + minutes);
        }
        ring = new SecondRing(minutes * 60, 5);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        previous = read();
        // Ticks at mid-second: a tick that runs a little early or late still falls into its own second.
        long now = System.currentTimeMillis();
        long delay = PERIOD_MILLIS - now % PERIOD_MILLIS + PERIOD_MILLIS / 2;
        ticks = scheduler.scheduleAtFixedRate(this::sample, delay, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Runs on the scheduler only, one tick at a time, so {@link #previous} needs no lock. */
    private void sample() {
        long[] current = read();
        long[] delta = new long[current.length];
        for (int k = 0; k < current.length; k++) {
            // Counters only grow; a negative growth would be a counter replaced, not events.
            delta[k] = Math.max(0, current[k] - previous[k]);
        }
        previous = current;
        ring.add(Instant.now().getEpochSecond(), delta);
    }

    /** In {@link ThroughputHistory.Point}'s order: received, stored, every dropped repeat, conflicts, rejected. */
    private long[] read() {
        IngestMetrics.Totals totals = metrics.totals();
        return new long[] {totals.received(), totals.stored(), totals.duplicates() + totals.conflicts(),
            totals.conflicts(), totals.rejected()};
    }

    /** The seconds held, oldest first. */
    public ThroughputHistory history() {
        return new ThroughputHistory(minutes * 60, ring.seconds().stream()
                .map(s -> new ThroughputHistory.Point(Instant.ofEpochSecond(s.second()), s.counts()[0],
                        s.counts()[1], s.counts()[2], s.counts()[3], s.counts()[4]))
                .toList());
    }

    @PreDestroy
    void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
