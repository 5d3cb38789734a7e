package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.store.IdempotencyStore.StoredResponse;

import java.util.List;
import java.util.function.Function;

/**
 * The answer to a publish that claimed an {@code Idempotency-Key}, for the transaction that stores its events to
 * write into the key's row: the key's answer and the events then commit together or not at all, so that a retry
 * finds either the answer the events got or a key it may run again with.
 *
 * @param key         the key as stored (scoped)
 * @param fingerprint the claiming request's fingerprint; only a claim of the same request is answered
 * @param answer      the answer, from the verdicts of the events the request sent, in their order
 */
public record KeyedAnswer(String key, String fingerprint, Function<List<Verdict>, StoredResponse> answer) {

    /** The same answer within a group: built from the verdicts at {@code [from, from + size)} of the group's. */
    public KeyedAnswer within(int from, int size) {
        return new KeyedAnswer(key, fingerprint, verdicts -> answer.apply(verdicts.subList(from, from + size)));
    }
}
