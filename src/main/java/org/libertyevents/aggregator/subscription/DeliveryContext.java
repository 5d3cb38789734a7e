package org.libertyevents.aggregator.subscription;

import jakarta.json.bind.Jsonb;
import org.libertyevents.aggregator.config.SubscriptionSettings;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.SubscriptionStore;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every {@link Delivery} of an instance works with.
 *
 * @param owner    this instance's name in the subscriptions' leases
 * @param executor  where a POST's completion carries its delivery on
 * @param scheduler what starts a retry when its backoff is over
 */
record DeliveryContext(EventRepository feed, SubscriptionStore store, WebhookSender sender, SubscriptionMetrics metrics,
                       SubscriptionSettings settings, RetryPolicy retries, Jsonb jsonb, Executor executor,
                       ScheduledExecutorService scheduler, String owner) {
}
