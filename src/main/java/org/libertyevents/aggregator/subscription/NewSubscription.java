package org.libertyevents.aggregator.subscription;

import org.libertyevents.aggregator.store.Subscription;

import java.util.List;

/**
 * A valid request for a subscription.
 *
 * @param topics  the topics to deliver, or null for all
 * @param secret  the signing secret to use, or null to generate one
 * @param fromNow whether delivery starts at the end of the feed instead of its start
 */
public record NewSubscription(String url, List<String> topics, String secret, int batchSize, boolean fromNow,
                              Subscription.Exhausted onExhausted) {
}
