package org.libertyevents.aggregator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.libertyevents.aggregator.ingest.IngestPipeline;

/**
 * Ready while the ingest queue has room: above 90% of its capacity a load balancer should send new requests
 * elsewhere rather than have them refused with 503.
 */
@Readiness
@ApplicationScoped
public class IngestQueueReadinessCheck implements HealthCheck {

    private static final double SATURATED = 0.9;

    @Inject
    private IngestPipeline pipeline;

    @Override
    public HealthCheckResponse call() {
        int pending = pipeline.pending();
        int capacity = pipeline.capacity();
        boolean ready = pipeline.accepting() && pending < capacity * SATURATED;
        return HealthCheckResponse.named("ingest-queue").status(ready)
                .withData("pending", pending).withData("capacity", capacity).build();
    }
}
