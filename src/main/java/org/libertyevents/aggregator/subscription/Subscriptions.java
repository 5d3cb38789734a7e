package org.libertyevents.aggregator.subscription;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.config.SubscriptionSettings;
import org.libertyevents.aggregator.store.DeadLetter;
import org.libertyevents.aggregator.store.DeliveryProgress;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.Subscription;
import org.libertyevents.aggregator.store.SubscriptionReads;
import org.libertyevents.aggregator.store.SubscriptionStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Makes and changes webhook subscriptions. A change moves the subscription's version, so its holder drops what it
 * had and starts again from the stored settings and cursor.
 */
@ApplicationScoped
public class Subscriptions {

    @EJB
    private SubscriptionStore store;

    @EJB
    private SubscriptionReads reads;

    @EJB
    private EventRepository feed;

    @Inject
    private SubscriptionSettings settings;

    @Inject
    private SubscriptionDispatcher dispatcher;

    /**
     * A subscription with the secret it signs with, which is shown only when it is made or rotated.
     *
     * @param secret the new secret, or null when it did not change
     */
    public record WithSecret(Subscription subscription, String secret) {
    }

    /**
     * Makes a subscription.
     *
     * @return empty when there are {@code SUBSCRIPTIONS_MAX} already
     */
    public Optional<WithSecret> create(NewSubscription request) {
        if (store.count() >= settings.max()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        String secret = request.secret() == null ? WebhookSignature.generate() : request.secret();
        Subscription subscription = new Subscription("sub_" + UUID.randomUUID().toString().replace("-", ""),
                request.url(), request.topics(), secret, null, null, request.batchSize(), request.onExhausted(),
                Subscription.State.ACTIVE, null, request.fromNow() ? feed.end(null, null) : FeedPosition.START, now, 0, null,
                null, DeliveryProgress.NONE);
        store.create(subscription);
        dispatcher.changed();
        return Optional.of(new WithSecret(subscription, secret));
    }

    /** Changes a subscription; empty if there is none with this id. */
    public Optional<WithSecret> change(String id, SubscriptionChange change) {
        Instant now = Instant.now();
        String newSecret = change.rotateSecret()
                ? (change.secret() == null ? WebhookSignature.generate() : change.secret()) : null;
        FeedPosition end = change.cursorAtEnd() ? feed.end(null, null) : null;
        Optional<WithSecret> changed = store.change(id, s -> changed(s, change, newSecret, end, now))
                .map(subscription -> new WithSecret(subscription, newSecret));
        dispatcher.changed();
        return changed;
    }

    private Subscription changed(Subscription s, SubscriptionChange change, String newSecret, FeedPosition end,
                                 Instant now) {
        FeedPosition cursor = end != null ? end : change.cursor() != null ? change.cursor() : s.cursor();
        Subscription.State state = change.state() == null ? s.state() : change.state();
        String reason = state == s.state() ? s.stateReason()
                : state == Subscription.State.PAUSED ? "paused on request at " + now : null;
        DeliveryProgress progress = s.progress();
        if (!cursor.equals(s.cursor()) || state != s.state()) {
            // A new start: the failures so far, their backoff and their retry horizon were about where it was.
            progress = new DeliveryProgress(progress.delivered(), progress.attempts(), 0, null, null,
                    progress.lastSuccessAt(), progress.lastErrorAt(), progress.lastError(), progress.deadLetters());
        }
        return new Subscription(s.id(), change.url() == null ? s.url() : change.url(),
                change.topicsGiven() ? change.topics() : s.topics(), newSecret == null ? s.secret() : newSecret,
                newSecret == null ? s.previousSecret() : s.secret(),
                newSecret == null ? s.previousUntil() : now.plus(settings.secretOverlap()),
                change.batchSize() == null ? s.batchSize() : change.batchSize(),
                change.onExhausted() == null ? s.onExhausted() : change.onExhausted(), state, reason, cursor,
                s.createdAt(), s.version(), s.leaseOwner(), s.leaseUntil(), progress);
    }

    public Optional<Subscription> find(String id) {
        return store.find(id);
    }

    public List<Subscription> list() {
        return store.list();
    }

    public boolean delete(String id) {
        boolean deleted = store.delete(id);
        dispatcher.changed();
        return deleted;
    }

    public List<DeadLetter> deadLetters(String id, int limit) {
        return reads.deadLetters(id, limit);
    }

    public SubscriptionReads.Lag lag(Subscription subscription) {
        return reads.lag(subscription);
    }
}
