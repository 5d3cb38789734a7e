package org.libertyevents.aggregator.retention;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.libertyevents.aggregator.store.Storage;

import java.util.function.ToLongFunction;

/**
 * Retention's MicroProfile Metrics: payloads this instance's passes removed, and what the stored events take as the
 * last pass read it ({@link Storage}), so that a scrape never queries the database.
 */
@ApplicationScoped
public class RetentionMetrics {

    @Inject
    private MetricRegistry registry;

    private Counter expired;
    private volatile Storage storage = new Storage(0, 0, 0, 0, null, null);

    @PostConstruct
    void register() {
        expired = registry.counter(Metadata.builder().withName("aggregator.payloads.expired")
                .withDescription("Payloads this instance's retention passes removed").build());
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

    void expired(long payloads) {
        expired.inc(payloads);
    }

    void observed(Storage storage) {
        this.storage = storage;
    }
}
