package org.libertyevents.publisher.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.libertyevents.publisher.run.Run;
import org.libertyevents.publisher.run.RunManager;

import java.time.Duration;

/**
 * Live unless a running run has had no batch acknowledged or given up on for the stall timeout: its workers
 * are stuck, since every send attempt is bounded in time.
 */
@Liveness
@ApplicationScoped
public class RunsLivenessCheck implements HealthCheck {

    @Inject
    private RunManager manager;

    @Inject
    @ConfigProperty(name = "publisher.stall.seconds", defaultValue = "300")
    private long stallSeconds;

    @Override
    public HealthCheckResponse call() {
        long active = manager.list().stream().filter(run -> run.state() == Run.State.RUNNING).count();
        long stalled = manager.list().stream().filter(run -> run.state() == Run.State.RUNNING
                && run.sinceProgress().compareTo(Duration.ofSeconds(stallSeconds)) > 0).count();
        return HealthCheckResponse.named("publisher-runs").status(stalled == 0)
                .withData("running", active).withData("stalled", stalled).build();
    }
}
