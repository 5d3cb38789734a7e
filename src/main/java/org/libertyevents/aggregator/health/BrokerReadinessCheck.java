package org.libertyevents.aggregator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.libertyevents.aggregator.broker.BrokerRedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Ready when Redis answers, if a broker is configured: without it asynchronous publish answers 503, so a load
 * balancer should prefer another instance. Without a broker it is up and says so.
 */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {

    @Inject
    private BrokerRedis broker;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("broker");
        if (!broker.enabled()) {
            return response.up().withData("enabled", false).build();
        }
        try {
            broker.ping();
            return response.up().withData("enabled", true).withData("stream", broker.describe()).build();
        } catch (RuntimeException e) {
            return response.down().withData("enabled", true).withData("error", describe(e)).build();
        }
    }

    /**
     * Jedis's messages can name the host and port, and readiness answers anyone: only the kind of failure, and
     * Redis's own error code (NOAUTH, LOADING, ...) when Redis answered. The consumers log the whole message.
     */
    static String describe(RuntimeException e) {
        if (e instanceof JedisConnectionException) {
            return "cannot connect to Redis";
        }
        if (e instanceof JedisDataException && e.getMessage() != null && e.getMessage().matches("(?s)[A-Z]+\\b.*")) {
            return "Redis refused: " + e.getMessage().split("\\s", 2)[0];
        }
        return "Redis call failed";
    }
}
