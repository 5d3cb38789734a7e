package org.libertyevents.aggregator.api;

import org.libertyevents.aggregator.store.ErasureJob;

import java.time.Instant;

/** A bulk erasure as {@code GET /erasures/{id}} shows it. */
public record ErasureView(long id, String topic, String source, String reason, String state, long erased,
                          Instant requestedAt, Instant finishedAt, String status) {

    static ErasureView of(ErasureJob job) {
        return new ErasureView(job.id(), job.topic(), job.source(), job.reason(), job.finished() ? "done" : "running",
                job.erased(), job.requestedAt(), job.finishedAt(), "/erasures/" + job.id());
    }
}
