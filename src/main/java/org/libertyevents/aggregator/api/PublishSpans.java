package org.libertyevents.aggregator.api;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The spans of a publish, children of the HTTP server span that MicroProfile Telemetry opens for the request (itself
 * a child of the request's {@code traceparent}): the wait for the events' commit, or their append to the broker.
 * When the current span is not recorded (telemetry off, the default, or the trace not sampled) nothing is created:
 * the publish path pays one thread-local lookup.
 */
@ApplicationScoped
public class PublishSpans {

    /** The wait from handing the events to the ingest pipeline until their transaction committed (or failed). */
    static final String COMMIT = "aggregator.commit";
    /** The append of the events to the broker's stream ({@code Prefer: respond-async}). */
    static final String ENQUEUE = "aggregator.enqueue";

    private static final AttributeKey<Long> EVENTS = AttributeKey.longKey("aggregator.events");

    @Inject
    private Tracer tracer;

    /**
     * Starts a span under the current one; the invalid span, which records nothing and costs nothing, when the
     * current one is not recorded: a child of it would not be either, as the default sampler follows the parent.
     */
    Span start(String name, int events) {
        return Span.current().isRecording()
                ? tracer.spanBuilder(name).setAttribute(EVENTS, (long) events).startSpan() : Span.getInvalid();
    }

    /** Ends {@code span}, marked as failed by {@code failure} if there is one. */
    static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }
}
