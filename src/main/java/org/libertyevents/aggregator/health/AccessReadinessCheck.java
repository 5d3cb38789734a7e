package org.libertyevents.aggregator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.libertyevents.aggregator.config.ApiKeys;

/**
 * Always up: it only says whether publishing and reads need an API key, so that an open service shows it where
 * operators look. Readiness tells whether to send traffic, and an open service can take it.
 */
@Readiness
@ApplicationScoped
public class AccessReadinessCheck implements HealthCheck {

    @Inject
    private ApiKeys keys;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("access").up()
                .withData("publishing", keys.publishing().toString())
                .withData("reads", keys.reads().toString())
                .build();
    }
}
