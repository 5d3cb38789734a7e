package org.libertyevents.aggregator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.libertyevents.aggregator.broker.RedisStreams;

/**
 * Ready when Redis answers, if a broker is configured: without it asynchronous publish answers 503, so a load
 * balancer should prefer another instance. Without a broker it is up and says so.
 */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {

    @Inject
    private RedisStreams streams;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("broker");
        if (!streams.enabled()) {
            return response.up().withData("enabled", false).build();
        }
        try {
            streams.ping();
            return response.up().withData("enabled", true).withData("stream", streams.stream()).build();
        } catch (RuntimeException e) {
            return response.down().withData("enabled", true).withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
