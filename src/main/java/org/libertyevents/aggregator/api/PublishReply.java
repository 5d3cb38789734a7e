package org.libertyevents.aggregator.api;

import jakarta.ws.rs.core.Response;
import org.libertyevents.aggregator.broker.AppendKey;
import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.store.KeyedAnswer;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where a publish sends its answer. Without an Idempotency-Key every answer just goes out. With one, what becomes of
 * the key is decided by whoever knows what was committed: the pipeline for requests it took (their transaction
 * answers the key, or the pipeline frees it once the transaction failed), this reply for every other answer.
 */
interface PublishReply {

    /**
     * Sends an answer given without the pipeline: 4xx, 202 from the broker, a 5xx before the pipeline took it.
     *
     * @return true when the request's Idempotency-Key keeps the answer for replay
     */
    boolean send(Response answer);

    /** Sends an answer its Idempotency-Key must not keep, since it is another request's: frees the key. */
    void sendUnkept(Response answer);

    /** The request's Idempotency-Key as the broker marks an append with it, or null without one. */
    AppendKey appendKey();

    /**
     * What the events' transaction is to write for the request's Idempotency-Key, or null without one.
     *
     * @param answer the answer from the request's verdicts, as it is sent
     */
    KeyedAnswer keyed(Function<List<Verdict>, Response> answer);

    /** Sends an answer of the pipeline, for a request it took with the answer from {@link #keyed}. */
    void sendFromPipeline(Response answer);

    /** The reply of a request without an Idempotency-Key. */
    static PublishReply unkeyed(Consumer<Response> resume) {
        return new PublishReply() {
            @Override
            public boolean send(Response answer) {
                resume.accept(answer);
                return false;
            }

            @Override
            public void sendUnkept(Response answer) {
                resume.accept(answer);
            }

            @Override
            public AppendKey appendKey() {
                return null;
            }

            @Override
            public KeyedAnswer keyed(Function<List<Verdict>, Response> answer) {
                return null;
            }

            @Override
            public void sendFromPipeline(Response answer) {
                resume.accept(answer);
            }
        };
    }
}
