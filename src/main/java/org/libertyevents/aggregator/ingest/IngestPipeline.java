package org.libertyevents.aggregator.ingest;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.config.IngestSettings;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.feed.FeedGrowth;
import org.libertyevents.aggregator.store.Delivery;
import org.libertyevents.aggregator.store.DeliveryResult;
import org.libertyevents.aggregator.store.EventStore;
import org.libertyevents.aggregator.subscription.SubscriptionDispatcher;
import org.libertyevents.aggregator.store.IdempotencyStore;
import org.libertyevents.aggregator.store.KeyedAnswer;
import org.libertyevents.aggregator.store.StoreException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.logging.Logger;

/**
 * From accepted requests to committed rows. Requests wait in a bounded {@link SubmissionQueue} under a commit
 * deadline ({@link CommitDeadlines}); {@link Writers} on a {@link ManagedExecutorService} take as many whole requests
 * as fit in a group and store them in one transaction ({@link GroupCommitter}), then complete each request's future
 * with its own verdicts.
 */
@ApplicationScoped
public class IngestPipeline {

    private static final Logger LOG = Logger.getLogger(IngestPipeline.class.getName());

    private static final long SWEEP_MILLIS = 250;

    /** Reads a stats snapshot takes at most while commits of this instance overlap it. */
    private static final int CONSISTENT_READ_ATTEMPTS = 3;

    @Inject
    private IngestSettings settings;

    @Inject
    private IngestMetrics metrics;

    @Inject
    private FeedGrowth feedGrowth;

    @Inject
    private SubscriptionDispatcher subscriptions;

    @EJB
    private EventStore store;

    @EJB
    private IdempotencyStore idempotencyKeys;

    @Resource(lookup = "concurrent/ingestExecutor")
    private ManagedExecutorService executor;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    private SubmissionQueue queue;
    private CommitDeadlines deadlines;
    private ScheduledFuture<?> sweeper;
    private final CommitWindow commits = new CommitWindow();
    private GroupCommitter committer;
    private Writers writers;
    private volatile boolean accepting = true;

    @PostConstruct
    void init() {
        queue = new SubmissionQueue(settings.queueCapacity(), settings.queueMaxBytes());
        committer = new GroupCommitter(store, idempotencyKeys, metrics, queue, commits, () -> {
            feedGrowth.committed();
            subscriptions.committed();
        });
        writers = new Writers(executor, queue, committer, settings.writers(), settings.maxGroupEvents());
        metrics.registerPipelineGauges(this);
        deadlines = new CommitDeadlines(settings.publishTimeout());
        sweeper = scheduler.scheduleWithFixedDelay(deadlines::expireOverdue, SWEEP_MILLIS, SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Queues a validated request. The future completes with one verdict per event once they are committed, or
     * exceptionally with a {@link StoreException}, or with an {@link IngestRejectedException} when the commit
     * takes longer than the publish timeout (it may still commit afterwards).
     *
     * <p>With a {@code keyed} answer the pipeline takes charge of the request's Idempotency-Key once this returns:
     * the events' transaction writes the key's answer, and a transaction that fails frees the key before the
     * future completes; a commit that outlives the timeout leaves the key in flight until it ends, and one that was
     * not confirmed ({@link StoreException.Kind#UNCONFIRMED}) keeps it as its transaction left it.
     *
     * @param keyed the answer for the request's Idempotency-Key, or null without one
     * @throws IngestRejectedException when the queue is full or the service is stopping (nothing is queued, and
     *                                 the key is left to the caller)
     */
    public CompletableFuture<List<Verdict>> submit(List<Event> events, KeyedAnswer keyed) {
        if (!accepting) {
            throw new IngestRejectedException(IngestRejectedException.Reason.STOPPING, "the service is stopping");
        }
        Submission submission = new Submission(events, keyed,
                System.nanoTime() + settings.publishTimeout().toNanos());
        if (!queue.offer(submission)) {
            metrics.rejected(events.size());
            throw new IngestRejectedException(IngestRejectedException.Reason.QUEUE_FULL,
                    "the ingest queue is full (at most " + settings.queueCapacity() + " events and "
                            + settings.queueMaxBytes() + " bytes pending)");
        }
        deadlines.add(submission);
        metrics.received(events.size());
        writers.start();
        return submission.verdicts();
    }

    /** Events accepted and not yet committed or failed. */
    public int pending() {
        return queue.pending();
    }

    public int capacity() {
        return settings.queueCapacity();
    }

    /** True while the service takes new requests. */
    public boolean accepting() {
        return accepting;
    }

    /** True when events have waited longer than the stall timeout without any writer finishing a group. */
    public boolean stalled() {
        return queue.pending() > 0
                && System.nanoTime() - writers.lastProgressNanos() > settings.stallTimeout().toNanos();
    }

    /**
     * Runs {@code reader} with the number of pending events, again while a commit of this instance overlapped it
     * (up to {@value #CONSISTENT_READ_ATTEMPTS} reads), so that what it reads from the database and the pending
     * count describe the same moment. Writers are never held back: under constant load the last read may count a
     * group committed during it twice (pending and stored) for that moment, never leave one out, since events
     * leave the pending count only once committed and the reader reads the pending figures first.
     */
    public <T> T readConsistently(IntFunction<T> reader) {
        return commits.readQuiet(() -> reader.apply(queue.pending()), CONSISTENT_READ_ATTEMPTS);
    }

    /**
     * Stores entries a broker delivered, on the calling thread and in one transaction, then hands what it did to
     * {@code settle} (which acknowledges the entries), as one commit for {@link #readConsistently}: a snapshot that sees these events both
     * committed and still waiting in the broker is read again.
     *
     * @throws StoreException when the transaction did not commit (after retrying lock conflicts)
     */
    public DeliveryResult storeDelivered(String stream, List<Delivery> deliveries,
                                         Consumer<DeliveryResult> settle) {
        return committer.storeDelivered(stream, deliveries, settle);
    }

    /** Graceful stop: refuse new requests, and commit what was accepted before the application goes away. */
    @PreDestroy
    void stop() {
        accepting = false;
        sweeper.cancel(false);
        writers.drainBefore(System.nanoTime() + settings.drainTimeout().toNanos());
        List<Submission> abandoned = queue.clear();
        committer.failing(abandoned, new IngestRejectedException(IngestRejectedException.Reason.STOPPING,
                "the service stopped before these events were stored")).run();
        if (!abandoned.isEmpty()) {
            LOG.warning(() -> abandoned.size() + " requests were not stored before the drain timeout");
        }
    }
}
