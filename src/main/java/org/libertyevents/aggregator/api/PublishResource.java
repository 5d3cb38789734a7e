package org.libertyevents.aggregator.api;

import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.libertyevents.aggregator.broker.AppendKey;
import org.libertyevents.aggregator.broker.Appended;
import org.libertyevents.aggregator.config.ApiKeys;
import org.libertyevents.aggregator.config.IngestSettings;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.ingest.AsyncIngest;
import org.libertyevents.aggregator.ingest.IngestMetrics;
import org.libertyevents.aggregator.ingest.IngestPipeline;
import org.libertyevents.aggregator.ingest.IngestRejectedException;
import org.libertyevents.aggregator.intake.InvalidRequest;
import org.libertyevents.aggregator.store.IdempotencyKeyTakenException;
import org.libertyevents.aggregator.store.StoreException;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /publish}: validates the whole request, then either hands it to the {@link IngestPipeline} and answers
 * 200 once the transaction holding its events has committed (the request thread is released while it waits), or,
 * when the client sends {@code Prefer: respond-async} and a broker is configured, appends it to the Redis stream and
 * answers 202 once Redis has it. With MicroProfile Telemetry on, either wait is a span of its own
 * ({@link PublishSpans}).
 */
@Path("/publish")
@ApplicationScoped
public class PublishResource {

    /** Built once: {@code Json.create...} looks its provider up again on every call, at a class-loading cost. */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private static final String INSTANCE = "/publish";
    private static final String PREFERENCE_APPLIED = "Preference-Applied";

    @Inject
    private IngestSettings settings;

    @Inject
    private IngestPipeline pipeline;

    @Inject
    private IngestMetrics metrics;

    @Inject
    private AsyncIngest async;

    @Inject
    private IdempotencyKeys idempotencyKeys;

    @Inject
    private ApiKeys apiKeys;

    @Inject
    private PublishFormats formats;

    @Inject
    private PublishSpans spans;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish one event or a batch",
            description = "Body: an event object or an array of them (application/json), or CloudEvents 1.0 in "
                    + "structured, batched or binary mode. All or nothing: an invalid request stores nothing. "
                    + "With Prefer: respond-async and a broker configured, the events are queued in Redis instead.")
    @APIResponse(responseCode = "200", description = "Committed; a verdict per event (stored or duplicate)")
    @APIResponse(responseCode = "202",
            description = "Appended to the broker (Prefer: respond-async): {\"accepted\": n}")
    @APIResponse(responseCode = "400", description = "Malformed JSON, or a malformed Idempotency-Key")
    @APIResponse(responseCode = "409", description = "Idempotency-Key: the first request with this key is in flight")
    @APIResponse(responseCode = "413", description = "Body or batch too large")
    @APIResponse(responseCode = "415", description = "Not JSON, a CloudEvent or a CloudEvents batch")
    @APIResponse(responseCode = "422", description = "Invalid events; each error names its batch index and field. "
            + "Or an Idempotency-Key already used for another request")
    @APIResponse(responseCode = "503", description = "Queue full, database or broker unavailable; see Retry-After")
    public void publish(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                        @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
                        @HeaderParam("Prefer") List<String> prefer,
                        @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey, @Context HttpHeaders headers,
                        InputStream body, @Suspended AsyncResponse response) {
        long started = System.nanoTime();
        try {
            formats.requireLength(contentLength);
            if (idempotencyKey == null) {
                process(contentType, prefer, headers, body, started, PublishReply.unkeyed(response::resume));
            } else {
                idempotencyKeys.handle(idempotencyKey, apiKeys.scope(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                        headers.getHeaderString(ApiKeys.API_KEY_HEADER)), headers, body, response,
                        (replayable, reply) -> process(contentType, prefer, headers, replayable, started, reply));
            }
        } catch (ProblemException e) {
            response.resume(e.problem().toResponse(INSTANCE));
        }
    }

    /** Reads, validates and publishes; every answer goes to {@code reply}. */
    private void process(String contentType, List<String> prefer, HttpHeaders headers, InputStream body, long started,
                         PublishReply reply) {
        try {
            List<Event> events = formats.read(contentType, headers, body);
            if (async.enabled() && Preferences.respondAsync(prefer)) {
                enqueue(events, reply, started);
                return;
            }
            commit(events, reply, started);
        } catch (InvalidRequest e) {
            reply.send(Problem.of(e).toResponse(INSTANCE));
        } catch (ProblemException e) {
            reply.send(e.problem().toResponse(INSTANCE));
        }
    }

    /** The synchronous path: 200 once the transaction holding the events has committed. */
    private void commit(List<Event> events, PublishReply reply, long started) {
        Span span = spans.start(PublishSpans.COMMIT, events.size());
        try {
            pipeline.submit(events, reply.keyed(verdicts -> committed(events, verdicts)))
                    .whenComplete((verdicts, failure) -> {
                        PublishSpans.end(span, failure);
                        metrics.publishTimer().update(Duration.ofNanos(System.nanoTime() - started));
                        reply.sendFromPipeline(failure == null ? committed(events, verdicts) : failed(failure));
                    });
        } catch (IngestRejectedException e) {
            PublishSpans.end(span, e);
            reply.send(failed(e));
        }
    }

    /** The asynchronous path: 202 only once the broker has the whole request. */
    private void enqueue(List<Event> events, PublishReply reply, long started) {
        AppendKey key = reply.appendKey();
        Appended appended;
        Span span = spans.start(PublishSpans.ENQUEUE, events.size());
        try {
            appended = async.enqueue(events, key);
            PublishSpans.end(span, null);
        } catch (IngestRejectedException e) {
            PublishSpans.end(span, e);
            reply.send(failed(e));
            return;
        } finally {
            metrics.publishTimer().update(Duration.ofNanos(System.nanoTime() - started));
        }
        if (appended == Appended.KEY_REUSED) {
            // The key's request is in the stream, though the key lost its answer: its retry is to find the key free.
            reply.sendUnkept(idempotencyKeys.reused());
        } else if (reply.send(accepted(events.size(), appended == Appended.APPENDED_BEFORE)) && key != null) {
            async.answerKept(key);
        }
    }

    private static Response accepted(int events, boolean replayed) {
        Response.ResponseBuilder accepted =
                Response.accepted(JSON.createObjectBuilder().add("accepted", events).build())
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .header(PREFERENCE_APPLIED, Preferences.RESPOND_ASYNC);
        return (replayed ? accepted.header(StoredAnswers.REPLAYED, "true") : accepted).build();
    }

    private static Response committed(List<Event> events, List<Verdict> verdicts) {
        return Response.ok(PublishResult.of(events, verdicts), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private Response failed(Throwable failure) {
        if (failure instanceof IdempotencyKeyTakenException) {
            // Another request with the same key committed first: a retry gets its answer.
            return idempotencyKeys.inFlight();
        }
        Problem problem;
        if (failure instanceof IngestRejectedException rejected) {
            problem = switch (rejected.reason()) {
                case QUEUE_FULL -> Problem.unavailable("overloaded", "Overloaded", rejected.getMessage(),
                        settings.retryAfter());
                case STOPPING -> Problem.unavailable("stopping", "Stopping", rejected.getMessage(),
                        settings.retryAfter());
                case COMMIT_TIMEOUT -> Problem.unavailable("commit-timeout", "Commit timed out",
                        rejected.getMessage(), settings.retryAfter());
                case BROKER_FULL -> Problem.unavailable("overloaded", "Overloaded", rejected.getMessage(),
                        settings.retryAfter());
                case BROKER_UNAVAILABLE -> Problem.unavailable("broker-unavailable", "Broker unavailable",
                        rejected.getMessage(), settings.retryAfter());
                case BROKER_UNREPLICATED -> Problem.unavailable("broker-unreplicated", "Broker not replicated",
                        rejected.getMessage(), settings.retryAfter());
            };
        } else if (failure instanceof StoreException store && store.kind() == StoreException.Kind.UNCONFIRMED) {
            problem = Problem.unavailable("commit-unconfirmed", "Commit not confirmed", "the database did not "
                    + "confirm the commit; the events may be stored, and publishing them again is safe",
                    settings.retryAfter());
        } else if (failure instanceof StoreException store && store.kind() == StoreException.Kind.REJECTED) {
            problem = Problem.http(500, "Internal Server Error",
                    "the database refused these events; nothing of this request was stored");
        } else {
            problem = Problem.unavailable("store-unavailable", "Store unavailable",
                    "the database is unavailable; nothing of this request was stored", settings.retryAfter());
        }
        return problem.toResponse(INSTANCE);
    }
}
