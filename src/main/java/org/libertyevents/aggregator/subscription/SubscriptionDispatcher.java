package org.libertyevents.aggregator.subscription;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.libertyevents.aggregator.api.JsonbConfigProvider;
import org.libertyevents.aggregator.config.SubscriptionSettings;
import org.libertyevents.aggregator.config.WaitSettings;
import org.libertyevents.aggregator.feed.FeedGrowth;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.Subscription;
import org.libertyevents.aggregator.store.SubscriptionReads;
import org.libertyevents.aggregator.store.SubscriptionStore;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Delivers the webhook subscriptions this instance holds. Every {@code renewEvery} (a third of
 * {@code SUBSCRIPTIONS_LEASE}) it takes the leases no live instance holds and renews its own, so that exactly one
 * instance delivers a subscription at a time and the others take over within a lease when it dies; every
 * {@code EVENTS_WAIT_POLL} it pokes its deliveries, which read the feed only when it may have grown
 * ({@link FeedGrowth}) or when they have a retry due; this instance's commits poke them at once.
 */
@ApplicationScoped
public class SubscriptionDispatcher {

    private static final Logger LOG = Logger.getLogger(SubscriptionDispatcher.class.getName());

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @Resource
    private ManagedExecutorService executor;

    @EJB
    private EventRepository feed;

    @EJB
    private SubscriptionStore store;

    @EJB
    private SubscriptionReads reads;

    @Inject
    private WebhookSender sender;

    @Inject
    private SubscriptionMetrics metrics;

    @Inject
    private SubscriptionSettings settings;

    @Inject
    private WaitSettings waits;

    @Inject
    private FeedGrowth feedGrowth;

    @Inject
    private MetricRegistry registry;

    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    private final AtomicBoolean waking = new AtomicBoolean();
    private DeliveryContext context;
    private FeedGrowth.Watch growth;
    private volatile Instant nextClaim = Instant.MIN;
    private ScheduledFuture<?> ticks;

    void start(@Observes @Initialized(ApplicationScoped.class) Object application) {
        context = new DeliveryContext(feed, store, sender, metrics, settings,
                new RetryPolicy(settings.retryMin(), settings.retryMax()), JsonbConfigProvider.JSONB, executor,
                scheduler,
                ownerName());
        registry.gauge(Metadata.builder().withName("aggregator.subscriptions.held")
                .withDescription("Webhook subscriptions this instance delivers (holds the lease of)")
                .withUnit(MetricUnits.NONE).build(), deliveries, Map::size);
        growth = feedGrowth.watch();
        long every = waits.poll().toMillis();
        ticks = scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A subscription was made or changed through this instance: the next tick claims at once, so that the change
     * takes effect here without waiting for the next lease renewal (other instances see it at theirs).
     */
    public void changed() {
        nextClaim = Instant.MIN;
    }

    /**
     * This instance committed events: its caught-up deliveries read the feed again at once (one task at a time,
     * however often commits come), rather than at the next tick; the tick covers what this misses (an event not
     * readable yet because an older transaction still runs).
     */
    public void committed() {
        if (!deliveries.isEmpty() && waking.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    waking.set(false);
                    deliveries.values().forEach(delivery -> delivery.poke(true));
                });
            } catch (RejectedExecutionException e) {
                // Shutting down: nothing more to deliver from here, and a commit must not fail for it.
                waking.set(false);
            }
        }
    }

    private void tick() {
        try {
            Instant now = Instant.now();
            boolean claimed = false;
            if (!now.isBefore(nextClaim)) {
                claim(now);
                claimed = true;
            }
            if (deliveries.isEmpty()) {
                return;
            }
            boolean grown = growth.grown() || claimed;
            for (Delivery delivery : deliveries.values()) {
                delivery.poke(grown);
            }
        } catch (RuntimeException e) {
            // The database is unreachable: deliveries stop by themselves when their lease runs out unrenewed.
            LOG.log(Level.FINE, "A subscription tick failed; the next one tries again", e);
        }
    }

    /** Takes and renews leases, and starts and stops deliveries to match what this instance holds now. */
    private void claim(Instant now) {
        Instant until = now.plus(settings.lease());
        // Set first: a change made during the claim asks for another one (changed()), which this must not undo.
        nextClaim = now.plus(settings.renewEvery());
        Map<String, Subscription> held = store.claim(context.owner(), now, until).stream()
                .collect(Collectors.toMap(Subscription::id, Function.identity()));
        // Stop delivering short of the lease's end, so that a slow renewal never overlaps the next holder.
        Instant validUntil = until.minus(settings.renewEvery());
        for (Delivery delivery : deliveries.values()) {
            Subscription current = held.get(delivery.id());
            if (current == null || current.version() != delivery.version() || delivery.stopped()) {
                delivery.stop();
                if (!delivery.running()) {
                    deliveries.remove(delivery.id());
                    metrics.forget(delivery.id());
                }
            } else {
                delivery.renewed(validUntil);
            }
        }
        for (Subscription subscription : held.values()) {
            if (!deliveries.containsKey(subscription.id())) {
                metrics.delivering(subscription.id());
                deliveries.put(subscription.id(), new Delivery(context, subscription, validUntil));
                LOG.info(() -> "Delivering subscription " + subscription.id() + " to " + subscription.url());
            }
        }
        for (Delivery delivery : deliveries.values()) {
            if (!delivery.stopped()) {
                SubscriptionReads.Lag lag = reads.lag(delivery.subscription());
                metrics.lag(delivery.id(), lag.events(), lag.oldestWaiting() == null ? 0
                        : Math.max(0, Duration.between(lag.oldestWaiting(), now).toMillis() / 1000.0));
            }
        }
    }

    /** A graceful stop hands this instance's subscriptions to the others at once instead of after the lease. */
    @PreDestroy
    void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        deliveries.values().forEach(Delivery::stop);
        try {
            store.release(context.owner());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not release the subscriptions' leases; they run out by themselves", e);
        }
    }

    /** This instance's name in leases: host, process and a random part, unique across restarts and containers. */
    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
