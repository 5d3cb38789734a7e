package org.libertyevents.aggregator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.libertyevents.aggregator.ingest.IngestPipeline;

/**
 * Live unless accepted events have waited past the stall timeout without any writer finishing a group: the one
 * state a restart cures. A database outage alone does not fail it, since writers then fail fast and move on.
 */
@Liveness
@ApplicationScoped
public class IngestLivenessCheck implements HealthCheck {

    @Inject
    private IngestPipeline pipeline;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ingest-writers").status(!pipeline.stalled())
                .withData("pending", pipeline.pending()).build();
    }
}
