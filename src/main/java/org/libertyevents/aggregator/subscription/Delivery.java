package org.libertyevents.aggregator.subscription;

import org.libertyevents.aggregator.store.DeadLetter;
import org.libertyevents.aggregator.store.DeliveryProgress;
import org.libertyevents.aggregator.store.StoredEvent;
import org.libertyevents.aggregator.store.Subscription;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The delivery of one subscription by the instance holding its lease: messages in feed order, one at a time, each
 * retried until its receiver takes it (or the retry horizon passes), so that a receiver sees events in feed order
 * and each at least once. The cursor is written after every page of messages, after every failure and when the
 * subscription is caught up: an instance that dies mid-page leaves at most that page to be delivered again.
 *
 * <p>One flow at a time: {@link #poke} starts one only when none runs, and a flow ends when it is caught up, waits
 * for a retry, or stops; the POSTs' completions carry it on, so no thread waits on a receiver.
 */
final class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class.getName());
    /** Events read per page when each is POSTed alone. */
    private static final int SINGLE_PAGE = 100;
    private static final int MAX_ERROR_LENGTH = 500;

    private final DeliveryContext context;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Deque<WebhookMessage> pending = new ArrayDeque<>();
    /** Written only by the flow; volatile, since the dispatcher reads it between flows for the lag figures. */
    private volatile Subscription subscription;
    private boolean caughtUp;
    /** Set when the feed may have grown; cleared as a page is read, so no growth during a read is missed. */
    private volatile boolean wake = true;
    private int unrecorded;
    private volatile Instant leaseValidUntil;
    private volatile boolean stopped;

    Delivery(DeliveryContext context, Subscription subscription, Instant leaseValidUntil) {
        this.context = context;
        this.subscription = subscription;
        this.leaseValidUntil = leaseValidUntil;
    }

    String id() {
        return subscription.id();
    }

    long version() {
        return subscription.version();
    }

    /** The subscription as this delivery has it now (its progress may be ahead of the stored one). */
    Subscription subscription() {
        return subscription;
    }

    /** The lease was renewed: this delivery may go on until then. */
    void renewed(Instant until) {
        leaseValidUntil = until;
    }

    /** Ends this delivery: lease lost, settings changed, or shutdown. A POST under way still completes. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /** Whether a flow runs (a POST may be under way). */
    boolean running() {
        return running.get();
    }

    /** Starts a flow unless one runs, if there may be something to deliver. */
    void poke(boolean feedGrown) {
        if (feedGrown) {
            wake = true;
        }
        if (stopped || !running.compareAndSet(false, true)) {
            return;
        }
        Instant next = subscription.progress().nextAttemptAt();
        if (next != null && Instant.now().isBefore(next) || caughtUp && !wake && pending.isEmpty()) {
            running.set(false);
            return;
        }
        next();
    }

    /** Sends the next message, reading a page when none is pending; the flow ends when there is nothing to send. */
    private void next() {
        try {
            Instant now = Instant.now();
            if (stopped || now.isAfter(leaseValidUntil)) {
                stopped = true;
                running.set(false);
                return;
            }
            if (pending.isEmpty()) {
                wake = false;
                List<StoredEvent> page = context.feed().page(subscription.topics(), subscription.cursor(),
                        subscription.batchSize() == 1 ? SINGLE_PAGE : subscription.batchSize());
                if (page.isEmpty()) {
                    caughtUp = true;
                    if (unrecorded > 0) {
                        record(List.of());
                    }
                    running.set(false);
                    return;
                }
                if (!context.store().current(subscription.id(), context.owner(), subscription.version())) {
                    // Paused, changed, deleted or taken over since this delivery began: the next claim starts over.
                    // Asked only when there is a page to send, so a caught-up delivery costs one read per wake.
                    stopped = true;
                    running.set(false);
                    return;
                }
                caughtUp = false;
                pending.addAll(WebhookMessage.of(page, subscription.batchSize(), context.jsonb()));
            }
            WebhookMessage message = pending.peek();
            context.sender().send(subscription, message, now)
                    .thenAcceptAsync(outcome -> completed(message, outcome), context.executor())
                    .exceptionally(failure -> {
                        halt(failure);
                        return null;
                    });
        } catch (RuntimeException e) {
            halt(e);
        }
    }

    private void completed(WebhookMessage message, WebhookSender.Outcome outcome) {
        Instant now = Instant.now();
        DeliveryProgress was = subscription.progress();
        context.metrics().attempted(subscription.id(), outcome.delivered());
        if (outcome.delivered()) {
            pending.poll();
            moveTo(message, new DeliveryProgress(was.delivered() + message.events().size(), was.attempts() + 1, 0,
                    null, null, now, was.lastErrorAt(), was.lastError(), was.deadLetters()));
            context.metrics().delivered(subscription.id(), message.events().size());
            if (++unrecorded >= SINGLE_PAGE || pending.isEmpty()) {
                if (!record(List.of())) {
                    return;
                }
            }
            next();
            return;
        }
        String error = truncate(outcome.error());
        int failures = was.failures() + 1;
        Instant firstFailure = was.firstFailureAt() == null ? now : was.firstFailureAt();
        DeliveryProgress failed = new DeliveryProgress(was.delivered(), was.attempts() + 1, failures, firstFailure,
                null, was.lastSuccessAt(), now, error, was.deadLetters());
        if (outcome.gone()) {
            subscription = state(Subscription.State.DISABLED, "the receiver answered 410 Gone at " + now, failed);
            record(List.of());
            stopped = true;
        } else if (Duration.between(firstFailure, now).compareTo(context.settings().retryHorizon()) >= 0) {
            exhausted(message, failed, now);
            return;
        } else {
            Duration delay = context.retries().delay(failures, outcome.retryAfter(),
                    ThreadLocalRandom.current().nextDouble());
            subscription = subscription.with(new DeliveryProgress(failed.delivered(), failed.attempts(), failures,
                    firstFailure, now.plus(delay), failed.lastSuccessAt(), now, error, failed.deadLetters()));
            if (record(List.of())) {
                running.set(false);
                // The retry starts when its backoff is over, not at the next tick that happens to come by.
                context.scheduler().schedule(() -> poke(false), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        running.set(false);
    }

    /** The message failed past the retry horizon: to the dead letters and on, or pause on it. */
    private void exhausted(WebhookMessage message, DeliveryProgress failed, Instant now) {
        if (subscription.onExhausted() == Subscription.Exhausted.PAUSE) {
            subscription = state(Subscription.State.PAUSED, "paused at " + now + ": message " + message.id()
                    + " still failed after the retry horizon (" + failed.lastError() + ")", failed);
            record(List.of());
            stopped = true;
            running.set(false);
            return;
        }
        pending.poll();
        moveTo(message, new DeliveryProgress(failed.delivered(), failed.attempts(), 0, null, null,
                failed.lastSuccessAt(), failed.lastErrorAt(), failed.lastError(),
                failed.deadLetters() + message.events().size()));
        List<DeadLetter> letters = message.events().stream().map(key -> new DeadLetter(message.id(), key.topic(),
                key.eventId(), now, failed.failures(), failed.lastError())).toList();
        context.metrics().deadLettered(subscription.id(), letters.size());
        if (record(letters)) {
            next();
        }
    }

    private void moveTo(WebhookMessage message, DeliveryProgress progress) {
        Subscription s = subscription;
        subscription = new Subscription(s.id(), s.url(), s.topics(), s.secret(), s.previousSecret(),
                s.previousUntil(), s.batchSize(), s.onExhausted(), s.state(), s.stateReason(), message.end(),
                s.createdAt(), s.version(), s.leaseOwner(), s.leaseUntil(), progress);
    }

    private Subscription state(Subscription.State state, String reason, DeliveryProgress progress) {
        Subscription s = subscription;
        return new Subscription(s.id(), s.url(), s.topics(), s.secret(), s.previousSecret(), s.previousUntil(),
                s.batchSize(), s.onExhausted(), state, reason, s.cursor(), s.createdAt(), s.version(),
                s.leaseOwner(), s.leaseUntil(), progress);
    }

    /** Writes the progress; false, and this delivery stops, when the lease or the settings moved on. */
    private boolean record(List<DeadLetter> letters) {
        boolean written = context.store().record(subscription, context.owner(), letters);
        unrecorded = 0;
        if (!written) {
            LOG.fine(() -> "Subscription " + subscription.id() + " changed or moved to another instance");
            stopped = true;
            running.set(false);
        }
        return written;
    }

    /** The database or something unforeseen failed: the flow ends, and the next poke starts from where it was. */
    private void halt(Throwable failure) {
        LOG.log(Level.FINE, "Delivery of subscription " + subscription.id() + " paused; it resumes", failure);
        running.set(false);
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
