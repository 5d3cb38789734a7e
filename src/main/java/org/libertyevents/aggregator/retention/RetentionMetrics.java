package org.libertyevents.aggregator.retention;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;
import org.libertyevents.aggregator.store.RetentionPass;
import org.libertyevents.aggregator.store.Storage;

import java.time.Duration;

import java.util.function.ToLongFunction;

/**
 * Retention's MicroProfile Metrics: payloads this instance's passes removed, how long the passes took, and what the stored events take as the
 * last pass read it ({@link Storage}), so that a scrape never queries the database.
 */
@ApplicationScoped
public class RetentionMetrics {

    @Inject
    private MetricRegistry registry;

    private Counter expired;
    private Timer passes;
    private volatile Storage storage = new Storage(0, 0, 0, 0, null, null);

    @PostConstruct
    void register() {
        expired = registry.counter(Metadata.builder().withName("aggregator.payloads.expired")
                .withDescription("Payloads this instance's retention passes removed").build());
        passes = registry.timer(Metadata.builder().withName("aggregator.retention.pass")
                .withDescription("How long this instance's retention passes took (dropping partitions, deleting "
                        + "and forgetting in batches)").build());
        gauge("aggregator.storage.payloads", "Payloads stored (PostgreSQL: the planner's estimate)",
                MetricUnits.NONE, Storage::payloadRows);
        gauge("aggregator.storage.payload.size", "Bytes the payloads take, indexes included (PostgreSQL)",
                MetricUnits.BYTES, Storage::payloadBytes);
        gauge("aggregator.storage.keys", "Keys remembered (PostgreSQL: the planner's estimate)",
                MetricUnits.NONE, Storage::keyRows);
        gauge("aggregator.storage.key.size", "Bytes the remembered keys take, indexes included (PostgreSQL)",
                MetricUnits.BYTES, Storage::keyBytes);
    }

    private void gauge(String name, String description, String unit, ToLongFunction<Storage> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(), this,
                metrics -> value.applyAsLong(metrics.storage));
    }

    void passed(RetentionPass pass, Duration took) {
        expired.inc(pass.expired());
        passes.update(took);
    }

    void observed(Storage storage) {
        this.storage = storage;
    }

    /** What the stored events took when the last retention pass looked (all zero before the first). */
    public Storage storage() {
        return storage;
    }
}
