package org.libertyevents.aggregator.api;

import jakarta.ws.rs.core.Response;
import org.libertyevents.aggregator.broker.AppendKey;
import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.store.IdempotencyStore;
import org.libertyevents.aggregator.store.KeyedAnswer;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The reply of a request that holds its Idempotency-Key ({@link IdempotencyStore#claim claimed}). */
final class KeyedReply implements PublishReply {

    private static final Logger LOG = Logger.getLogger(KeyedReply.class.getName());

    private final IdempotencyStore store;
    private final String key;
    private final String fingerprint;
    private final Duration ttl;
    private final Consumer<Response> resume;

    KeyedReply(IdempotencyStore store, String key, String fingerprint, Duration ttl, Consumer<Response> resume) {
        this.store = store;
        this.key = key;
        this.fingerprint = fingerprint;
        this.ttl = ttl;
        this.resume = resume;
    }

    /**
     * Keeps a 2xx or 4xx answer for replay, frees the key after a 5xx (nothing was committed; an append whose
     * answer was lost is caught by its {@link #appendKey marker}), and sends it.
     */
    @Override
    public boolean send(Response answer) {
        Response materialized = StoredAnswers.materialize(answer);
        boolean kept = false;
        try {
            if (materialized.getStatus() >= 500) {
                store.release(key, fingerprint);
            } else {
                store.complete(key, fingerprint, StoredAnswers.stored(materialized));
                kept = true;
            }
        } catch (RuntimeException e) {
            // The answer still goes out; a retry finds the key in flight until it counts as abandoned.
            LOG.log(Level.WARNING, "Could not record the answer for idempotency key " + key, e);
        }
        resume.accept(materialized);
        return kept;
    }

    @Override
    public void sendUnkept(Response answer) {
        try {
            store.release(key, fingerprint);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not free idempotency key " + key, e);
        }
        resume.accept(answer);
    }

    @Override
    public AppendKey appendKey() {
        return new AppendKey(key, fingerprint, ttl);
    }

    @Override
    public KeyedAnswer keyed(Function<List<Verdict>, Response> answer) {
        return new KeyedAnswer(key, fingerprint,
                verdicts -> StoredAnswers.stored(StoredAnswers.materialize(answer.apply(verdicts))));
    }

    @Override
    public void sendFromPipeline(Response answer) {
        resume.accept(answer);
    }
}
