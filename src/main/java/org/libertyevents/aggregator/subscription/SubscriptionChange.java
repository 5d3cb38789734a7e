package org.libertyevents.aggregator.subscription;

import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.Subscription;

import java.util.List;

/**
 * A valid change of a subscription ({@code PATCH}); a null member leaves that setting as it is.
 *
 * @param topics       the new topics, when {@code topicsGiven} (null then means every topic)
 * @param state        {@code ACTIVE} to resume, {@code PAUSED} to pause
 * @param rotateSecret whether to replace the secret, by {@code secret} or a generated one; the old one still signs
 *                     for {@code SUBSCRIPTIONS_SECRET_OVERLAP}
 * @param cursor       where delivery goes on from: a feed position, or null with {@code cursorAtEnd}
 */
public record SubscriptionChange(String url, boolean topicsGiven, List<String> topics, Integer batchSize,
                                 Subscription.Exhausted onExhausted, Subscription.State state, boolean rotateSecret,
                                 String secret, FeedPosition cursor, boolean cursorAtEnd) {
}
