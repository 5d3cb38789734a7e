package org.libertyevents.aggregator.api;

import jakarta.ws.rs.core.Response;
import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.store.IdempotencyStore;
import org.libertyevents.aggregator.store.KeyedAnswer;

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
    private final Consumer<Response> resume;

    KeyedReply(IdempotencyStore store, String key, String fingerprint, Consumer<Response> resume) {
        this.store = store;
        this.key = key;
        this.fingerprint = fingerprint;
        this.resume = resume;
    }

    /** Keeps a 2xx or 4xx answer for replay, frees the key after a 5xx (nothing was committed), and sends it. */
    @Override
    public void send(Response answer) {
        Response materialized = StoredAnswers.materialize(answer);
        try {
            if (materialized.getStatus() >= 500) {
                store.release(key, fingerprint);
            } else {
                store.complete(key, fingerprint, StoredAnswers.stored(materialized));
            }
        } catch (RuntimeException e) {
            // The answer still goes out; a retry finds the key in flight until it counts as abandoned.
            LOG.log(Level.WARNING, "Could not record the answer for idempotency key " + key, e);
        }
        resume.accept(materialized);
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
