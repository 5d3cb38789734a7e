package org.libertyevents.aggregator.config;

import java.time.Duration;

/**
 * Webhook subscriptions and their delivery.
 *
 * @param allowPrivateTargets whether subscriptions may point at loopback, private, link-local and other internal
 *                            addresses ({@code SUBSCRIPTIONS_ALLOW_PRIVATE_TARGETS}); off, so that whoever may create
 *                            a subscription cannot make the service call into its own network
 * @param max                 subscriptions at most ({@code SUBSCRIPTIONS_MAX})
 * @param timeout             how long one POST may take until it counts as failed ({@code SUBSCRIPTIONS_TIMEOUT})
 * @param retryMin            the backoff after a first failure; it doubles with each further one
 *                            ({@code SUBSCRIPTIONS_RETRY_MIN})
 * @param retryMax            the longest backoff ({@code SUBSCRIPTIONS_RETRY_MAX})
 * @param retryHorizon        how long an event is retried before it goes to the dead letters or the subscription
 *                            pauses ({@code SUBSCRIPTIONS_RETRY_HORIZON})
 * @param lease               how long an instance holds a subscription without renewing; a dead holder's
 *                            subscriptions move to another instance after it ({@code SUBSCRIPTIONS_LEASE})
 * @param secretOverlap       how long the secret before a rotation still signs deliveries
 *                            ({@code SUBSCRIPTIONS_SECRET_OVERLAP})
 */
public record SubscriptionSettings(boolean allowPrivateTargets, int max, Duration timeout, Duration retryMin,
                                   Duration retryMax, Duration retryHorizon, Duration lease, Duration secretOverlap) {

    public SubscriptionSettings {
        if (max < 1 || !positive(timeout) || !positive(retryMin) || retryMax.compareTo(retryMin) < 0
                || !positive(retryHorizon) || !positive(lease) || secretOverlap.isNegative()) {
            throw new IllegalArgumentException("subscription settings out of range: " + this);
        }
    }

    /** How often the holder renews its leases: three times a lease, so that one late renewal loses nothing. */
    public Duration renewEvery() {
        return lease.dividedBy(3);
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }
}
