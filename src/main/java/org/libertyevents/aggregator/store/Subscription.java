package org.libertyevents.aggregator.store;

import java.time.Instant;
import java.util.List;

/**
 * A webhook subscription as stored: where the feed goes, in which form, and how far its delivery got.
 *
 * @param topics         the topics it follows, or null for every topic
 * @param secret         the signing secret ({@code whsec_...})
 * @param previousSecret the secret before the last rotation, still signed with until {@code previousUntil}; or null
 * @param batchSize      events per POST: 1 sends each event as the body, more send {@code {"events": [...]}}
 * @param onExhausted    what happens to an event still failing after the retry horizon
 * @param cursor         the feed position of the last event delivered (or given up on)
 * @param version        changed by every change of its settings, so that a holder working from older ones stops
 * @param leaseOwner     the instance delivering it now, or null
 */
public record Subscription(String id, String url, List<String> topics, String secret, String previousSecret,
                           Instant previousUntil, int batchSize, Exhausted onExhausted, State state,
                           String stateReason, FeedPosition cursor, Instant createdAt, long version,
                           String leaseOwner, Instant leaseUntil, DeliveryProgress progress) {

    /** Whether it is delivered. */
    public enum State {
        /** delivered by whichever instance holds its lease */
        ACTIVE,
        /** paused by request, or after an event failed past the retry horizon */
        PAUSED,
        /** its receiver answered 410 Gone */
        DISABLED
    }

    /** What becomes of an event its receiver still refuses after the retry horizon. */
    public enum Exhausted {
        /** it goes to the subscription's dead letters and delivery goes on */
        DEAD_LETTER,
        /** the subscription pauses on it */
        PAUSE
    }

    public Subscription {
        topics = topics == null ? null : List.copyOf(topics);
    }

    /** The same subscription with other delivery progress. */
    public Subscription with(DeliveryProgress newProgress) {
        return new Subscription(id, url, topics, secret, previousSecret, previousUntil, batchSize, onExhausted, state,
                stateReason, cursor, createdAt, version, leaseOwner, leaseUntil, newProgress);
    }
}
