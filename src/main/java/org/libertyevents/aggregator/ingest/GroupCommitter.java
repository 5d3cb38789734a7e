package org.libertyevents.aggregator.ingest;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.store.Delivery;
import org.libertyevents.aggregator.store.DeliveryResult;
import org.libertyevents.aggregator.store.EventStore;
import org.libertyevents.aggregator.store.IdempotencyStore;
import org.libertyevents.aggregator.store.KeyedAnswer;
import org.libertyevents.aggregator.store.StoreException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Commits what the pipeline hands it, each commit counted in the {@link CommitWindow}: a group of submissions in
 * one transaction (one by one when the database refuses the group, so that one request's rows fail only that
 * request), or broker deliveries with their acknowledgement. Lock conflicts are retried at once. The group's
 * Idempotency-Key answers go in its transaction; the keys of requests whose transaction failed are freed, those of a
 * transaction whose commit was not confirmed are kept.
 */
final class GroupCommitter {

    private static final Logger LOG = Logger.getLogger(GroupCommitter.class.getName());
    /** Attempts for a group that lost a lock race with another transaction. */
    private static final int CONFLICT_ATTEMPTS = 3;

    private final EventStore store;
    private final IdempotencyStore keys;
    private final IngestMetrics metrics;
    private final SubmissionQueue queue;
    private final CommitWindow commits;
    /** Told after a commit that stored events: long polls of the feed look again. */
    private final Runnable stored;

    GroupCommitter(EventStore store, IdempotencyStore keys, IngestMetrics metrics, SubmissionQueue queue,
                   CommitWindow commits, Runnable stored) {
        this.store = store;
        this.keys = keys;
        this.metrics = metrics;
        this.queue = queue;
        this.commits = commits;
        this.stored = stored;
    }

    /**
     * Commits a group taken from the queue and releases it there; returns the replies to its submissions, to be
     * sent once the commit has ended.
     */
    List<Runnable> commit(List<Submission> group) {
        List<Runnable> replies = new ArrayList<>(group.size());
        commits.begin();
        try {
            commitGroup(group, replies);
        } finally {
            commits.end();
        }
        return replies;
    }

    /** Stores broker deliveries in one transaction, then hands the result to {@code settle}, as one commit. */
    DeliveryResult storeDelivered(String stream, List<Delivery> deliveries, Consumer<DeliveryResult> settle) {
        commits.begin();
        try {
            long started = System.nanoTime();
            DeliveryResult result = withConflictRetry(() -> store.storeDeliveries(stream, deliveries));
            if (!result.events().isEmpty()) {
                metrics.committed(result.events(), result.verdicts(), System.nanoTime() - started);
                storedAny(result.verdicts());
            }
            settle.accept(result);
            return result;
        } finally {
            commits.end();
        }
    }

    private void commitGroup(List<Submission> group, List<Runnable> replies) {
        List<Event> events = concat(group);
        long started = System.nanoTime();
        try {
            List<Verdict> verdicts = withConflictRetry(() -> store.store(events, answers(group)));
            metrics.committed(events, verdicts, System.nanoTime() - started);
            storedAny(verdicts);
            queue.completed(group);
            int offset = 0;
            for (Submission submission : group) {
                List<Verdict> own = verdicts.subList(offset, offset + submission.size());
                replies.add(() -> submission.verdicts().complete(own));
                offset += submission.size();
            }
        } catch (StoreException failure) {
            if (failure.kind() == StoreException.Kind.REJECTED && group.size() > 1) {
                // The rows of one request may be what the database refuses: the others should not fail with it.
                LOG.warning(() -> "A group of " + group.size() + " requests was refused; committing them one by one: "
                        + failure.getMessage());
                for (Submission submission : group) {
                    commitGroup(List.of(submission), replies);
                }
                return;
            }
            LOG.warning(() -> "Could not store " + events.size() + " events: " + failure.getMessage());
            metrics.failed(events.size());
            queue.completed(group);
            replies.add(failure.kind() == StoreException.Kind.UNCONFIRMED ? unconfirmed(group, failure)
                    : failing(group, failure));
        }
    }

    /**
     * Fails submissions none of whose events committed: frees their Idempotency-Keys, so that a retry runs afresh,
     * then completes their futures. The keys go first, since a client may retry as soon as it has its answer. A key
     * that cannot be freed now (the database is down) is freed as abandoned later.
     */
    Runnable failing(List<Submission> submissions, Throwable failure) {
        return () -> {
            for (Submission submission : submissions) {
                KeyedAnswer keyed = submission.keyed();
                if (keyed != null) {
                    try {
                        keys.release(keyed.key(), keyed.fingerprint());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Could not free the Idempotency-Key " + keyed.key()
                                + " of a failed request; it is free again once abandoned", e);
                        break; // the database is down for the others too
                    }
                }
            }
            submissions.forEach(submission -> submission.verdicts().completeExceptionally(failure));
        };
    }

    /**
     * Fails submissions whose commit may have taken effect, keeping their Idempotency-Keys: the transaction answered
     * them if it committed, and a retry must then replay that answer, not run afresh. Not freeing them also keeps
     * this writer off a key row that a commit still waiting for its standby holds locked. A key whose transaction
     * did not commit is free again once abandoned.
     */
    private static Runnable unconfirmed(List<Submission> submissions, StoreException failure) {
        return () -> submissions.forEach(submission -> submission.verdicts().completeExceptionally(failure));
    }

    /** The group's Idempotency-Key answers, each built from its own request's part of the group's verdicts. */
    private static List<KeyedAnswer> answers(List<Submission> group) {
        List<KeyedAnswer> answers = new ArrayList<>();
        int offset = 0;
        for (Submission submission : group) {
            if (submission.keyed() != null) {
                answers.add(submission.keyed().within(offset, submission.size()));
            }
            offset += submission.size();
        }
        return answers;
    }

    private static <T> T withConflictRetry(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                StoreException failure = StoreException.classify(e);
                if (failure.kind() != StoreException.Kind.CONFLICT || attempt >= CONFLICT_ATTEMPTS) {
                    throw failure;
                }
            }
        }
    }

    private static List<Event> concat(List<Submission> group) {
        if (group.size() == 1) {
            return group.get(0).events();
        }
        List<Event> events = new ArrayList<>();
        group.forEach(submission -> events.addAll(submission.events()));
        return events;
    }

    private void storedAny(List<Verdict> verdicts) {
        if (verdicts.contains(Verdict.STORED)) {
            stored.run();
        }
    }
}
