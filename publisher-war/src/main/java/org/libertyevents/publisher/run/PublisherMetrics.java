package org.libertyevents.publisher.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** The publisher's counters at {@code /metrics}: events sent, acknowledged, failed, and retried requests. */
@ApplicationScoped
public class PublisherMetrics {

    @Inject
    private MetricRegistry registry;

    void add(String name, String description, long amount) {
        registry.counter(Metadata.builder().withName("publisher." + name).withDescription(description).build())
                .inc(amount);
    }

    void sent(long events) {
        add("events.sent", "Events the publisher sent (first attempts)", events);
    }

    void acknowledged(long events) {
        add("events.acknowledged", "Events the aggregator acknowledged", events);
    }

    void failed(long events) {
        add("events.failed", "Events given up on after the last attempt", events);
    }

    void retried(long requests) {
        add("requests.retried", "Requests sent again after a timeout, connection error, 503 or 429", requests);
    }
}
