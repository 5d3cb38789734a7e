package org.libertyevents.aggregator.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.function.ToLongFunction;

/**
 * The broker's MicroProfile Metrics. The gauges show what the last maintenance pass read from Redis, so a scrape
 * never waits on Redis.
 */
@ApplicationScoped
public class BrokerMetrics {

    @Inject
    private MetricRegistry registry;

    private Timer appendLatency;
    private Counter reclaimed;
    private Counter deadLettered;
    private Counter redelivered;
    private volatile TrimResult lastTrim = new TrimResult("0-0", 0, 0, 0);
    private volatile RedisStreams.Counts lastCounts = new RedisStreams.Counts(0, 0);

    /** Registers the broker's metrics; called only when a broker is configured. */
    void register() {
        appendLatency = registry.timer(Metadata.builder().withName("aggregator.broker.append.latency")
                .withDescription("Time to append one asynchronous publish request to the Redis stream").build());
        reclaimed = counter("aggregator.broker.reclaimed",
                "Stream entries taken over from consumers that left them unacknowledged too long");
        deadLettered = counter("aggregator.broker.dead.lettered",
                "Stream entries moved to the dead-letter stream after failing repeatedly");
        redelivered = counter("aggregator.broker.redelivered",
                "Stream entries delivered again after their events had been committed; skipped");
        gauge("aggregator.broker.backlog", "Events appended to the broker and not yet acknowledged",
                m -> m.lastCounts.backlog());
        gauge("aggregator.broker.consumer.lag", "Stream entries not yet delivered to any consumer",
                m -> m.lastTrim.lag());
        gauge("aggregator.broker.pending", "Stream entries delivered to a consumer and not yet acknowledged",
                m -> m.lastTrim.pendingEntries());
        gauge("aggregator.broker.stream.length", "Entries in the stream, acknowledged ones not yet trimmed included",
                m -> m.lastTrim.length());
        gauge("aggregator.broker.dead.lettered.events", "Events in the dead-letter stream",
                m -> m.lastCounts.deadLettered());
    }

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }

    private void gauge(String name, String description, ToLongFunction<BrokerMetrics> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(MetricUnits.NONE)
                .build(), this, m -> value.applyAsLong(m));
    }

    void appended(long nanos) {
        appendLatency.update(Duration.ofNanos(nanos));
    }

    void reclaimed(int entries) {
        reclaimed.inc(entries);
    }

    void deadLettered() {
        deadLettered.inc();
    }

    void redelivered(int entries) {
        redelivered.inc(entries);
    }

    void observed(TrimResult trim, RedisStreams.Counts counts) {
        lastTrim = trim;
        lastCounts = counts;
    }
}
