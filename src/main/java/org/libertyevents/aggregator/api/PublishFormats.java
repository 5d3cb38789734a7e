package org.libertyevents.aggregator.api;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.TraceContext;
import org.libertyevents.aggregator.intake.CloudEventsParser;
import org.libertyevents.aggregator.intake.PublishRequestParser;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The request formats {@code POST /publish} takes, chosen by the request's headers: the service's own JSON, or
 * CloudEvents in binary, structured or batched mode. Every event a request holds is read and validated before
 * any is published.
 */
@ApplicationScoped
public class PublishFormats {

    @Inject
    private PublishLimits limits;

    @Inject
    @ConfigProperty(name = "cloudevents.topic.attribute", defaultValue = "type")
    private String topicAttribute;

    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";

    private PublishRequestParser parser;
    private CloudEventsParser cloudEvents;

    @PostConstruct
    void init() {
        parser = new PublishRequestParser(limits);
        cloudEvents = new CloudEventsParser(limits, topicAttribute);
    }

    /**
     * Reads the events in whichever format the request uses: the service's own JSON, or a CloudEvent in binary
     * mode (its {@code ce-specversion} header says so), structured mode or batched mode. An event without a trace
     * context of its own (a CloudEvent's distributed-tracing extension) takes the request's, if it has a valid one.
     */
    List<Event> read(String contentType, HttpHeaders headers, InputStream body) {
        return inRequestTrace(parse(contentType, headers, body), headers);
    }

    private List<Event> parse(String contentType, HttpHeaders headers, InputStream body) {
        MediaType type = mediaType(contentType);
        // Kept to the microsecond, as the databases keep it: the event in hand is the event stored.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (headers.getRequestHeaders().containsKey(CloudEventsParser.HEADER_PREFIX + "specversion")) {
            if (!type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                throw new ProblemException(Problem.unsupportedMediaType(
                        "a binary-mode CloudEvent's data must be application/json (got " + contentType + ")"));
            }
            return cloudEvents.binary(headers.getRequestHeaders(), body, now);
        }
        if (type.isCompatible(CloudEventsParser.STRUCTURED)) {
            return cloudEvents.structured(body, now);
        }
        if (type.isCompatible(CloudEventsParser.BATCH)) {
            return cloudEvents.batch(body, now);
        }
        if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return parser.parse(body, now);
        }
        throw new ProblemException(Problem.unsupportedMediaType("send events as application/json, "
                + "application/cloudevents+json or application/cloudevents-batch+json (got " + contentType + ")"));
    }

    /**
     * The events, those without a trace context in the request's W3C one ({@code traceparent}, {@code tracestate}).
     * An invalid or repeated {@code traceparent} is ignored, as the W3C recommendation says: no error.
     */
    private static List<Event> inRequestTrace(List<Event> events, HttpHeaders headers) {
        List<String> parents = headers.getRequestHeader(TRACEPARENT);
        if (parents == null || parents.size() != 1) {
            return events;
        }
        List<String> states = headers.getRequestHeader(TRACESTATE);
        // Several tracestate lines are one list, as HTTP combines repeated header fields.
        TraceContext trace = TraceContext.of(parents.get(0),
                states == null || states.isEmpty() ? null : String.join(",", states));
        if (trace == null) {
            return events;
        }
        List<Event> traced = new ArrayList<>(events.size());
        events.forEach(event -> traced.add(event.trace() == null ? event.withTrace(trace) : event));
        return traced;
    }

    private static MediaType mediaType(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || type.isWildcardType() || type.isWildcardSubtype()) {
            throw new ProblemException(Problem.unsupportedMediaType(
                    "send events as application/json (got " + (contentType == null ? "no Content-Type" : contentType)
                            + ")"));
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase(StandardCharsets.UTF_8.name())) {
            throw new ProblemException(Problem.unsupportedMediaType(
                    "JSON must be encoded as UTF-8 (got " + charset + ")"));
        }
        return type;
    }

    /** Refuses a request whose Content-Length alone is over the body limit, before anything is read. */
    void requireLength(String contentLength) {
        if (contentLength == null) {
            return;
        }
        try {
            if (Long.parseLong(contentLength.strip()) > limits.maxBodyBytes()) {
                throw new ProblemException(Problem.tooLarge(
                        "the request body is larger than " + limits.maxBodyBytes() + " bytes"));
            }
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.http(400, "Bad Request", "Content-Length is not a number"));
        }
    }
}
