package org.libertyevents.aggregator.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Webhook delivery metrics, labelled by subscription id, on the instance that delivers the subscription (the
 * holder of its lease): a subscription's series move with it when another instance takes it over.
 */
@ApplicationScoped
public class SubscriptionMetrics {

    private static final String ATTEMPTS = "aggregator.subscription.attempts";
    private static final String EVENTS = "aggregator.subscription.events.delivered";
    private static final String DEAD = "aggregator.subscription.dead.letters";
    private static final String LAG_EVENTS = "aggregator.subscription.lag.events";
    private static final String LAG_SECONDS = "aggregator.subscription.lag.seconds";

    @Inject
    private MetricRegistry registry;

    /** The lag figures of the subscriptions this instance delivers, by id: what the gauges read. */
    private final Map<String, double[]> lags = new ConcurrentHashMap<>();

    /**
     * This instance starts delivering the subscription: its counters start from zero, since a series that appeared
     * with its first increment would show {@code rate()} and {@code increase()} nothing (the alerting rules on
     * failed attempts and dead letters would miss a subscription's first ones).
     */
    void delivering(String subscription) {
        attempts(subscription, true);
        attempts(subscription, false);
        eventsDelivered(subscription);
        deadLetters(subscription);
    }

    void attempted(String subscription, boolean delivered) {
        attempts(subscription, delivered).inc();
    }

    void delivered(String subscription, int events) {
        eventsDelivered(subscription).inc(events);
    }

    void deadLettered(String subscription, int events) {
        deadLetters(subscription).inc(events);
    }

    private Counter attempts(String subscription, boolean delivered) {
        return registry.counter(Metadata.builder().withName(ATTEMPTS)
                .withDescription("Webhook POSTs, by subscription and outcome (delivered: a 2xx answer)").build(),
                new Tag("subscription", subscription), new Tag("outcome", delivered ? "delivered" : "failed"));
    }

    private Counter eventsDelivered(String subscription) {
        return registry.counter(Metadata.builder().withName(EVENTS)
                .withDescription("Events a subscription's receiver took").build(),
                new Tag("subscription", subscription));
    }

    private Counter deadLetters(String subscription) {
        return registry.counter(Metadata.builder().withName(DEAD)
                .withDescription("Events given up on after the retry horizon").build(),
                new Tag("subscription", subscription));
    }

    /** This instance delivers the subscription from now on, {@code behind} events and {@code seconds} behind. */
    void lag(String subscription, long behind, double seconds) {
        double[] figures = lags.computeIfAbsent(subscription, id -> {
            double[] fresh = new double[2];
            gauge(LAG_EVENTS, "Events committed that a subscription has not delivered yet (counted up to 100,000)",
                    MetricUnits.NONE, id, fresh, f -> f[0]);
            gauge(LAG_SECONDS, "How long the oldest event a subscription has not delivered has waited",
                    MetricUnits.SECONDS, id, fresh, f -> f[1]);
            return fresh;
        });
        figures[0] = behind;
        figures[1] = seconds;
    }

    /** This instance no longer delivers the subscription: its series go (another instance shows them now). */
    void forget(String subscription) {
        lags.remove(subscription);
        registry.getMetricIDs().stream().filter(id -> id.getName().startsWith("aggregator.subscription.")
                        && subscription.equals(id.getTags().get("subscription")))
                .forEach(registry::remove);
    }

    private void gauge(String name, String description, String unit, String subscription, double[] figures,
                       ToDoubleFunction<double[]> read) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).withUnit(unit).build(),
                figures, f -> read.applyAsDouble(f), new Tag("subscription", subscription));
    }
}
