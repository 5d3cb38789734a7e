package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import org.libertyevents.aggregator.intake.FieldError;
import org.libertyevents.aggregator.intake.InvalidRequest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem detail: the body of every error this service returns, as {@code application/problem+json}.
 * Extension member {@code errors} lists each offending batch index and field.
 *
 * @param slug       the last part of the problem type URI, stable so clients can switch on it; {@code null} for
 *                   plain HTTP errors, whose type is {@code about:blank}
 * @param title      short, the same for every occurrence of this type
 * @param status     the HTTP status
 * @param detail     this occurrence, in a sentence
 * @param errors     field-level reasons, possibly empty
 * @param omitted    how many further field errors were not listed
 * @param retryAfter for 503s, when to try again; {@code null} otherwise
 */
public record Problem(String slug, String title, int status, String detail, List<FieldError> errors, int omitted,
                      Duration retryAfter) {

    /** Built once: {@code Json.create...} looks its provider up again on every call, at a class-loading cost. */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:problem:liberty-event-aggregator:";

    public Problem {
        errors = List.copyOf(errors);
    }

    static Problem of(String slug, String title, int status, String detail) {
        return new Problem(slug, title, status, detail, List.of(), 0, null);
    }

    public static Problem malformedJson(String detail) {
        return of("malformed-json", "Malformed JSON", 400, detail);
    }

    /** The answer to a request body refused while it was read into events: one problem type per kind. */
    public static Problem of(InvalidRequest refused) {
        return switch (refused.kind()) {
            case MALFORMED -> malformedJson(refused.detail());
            case TOO_LARGE -> tooLarge(refused.detail());
            case TIMED_OUT -> of("request-timeout", "Request Timeout", 408, refused.detail());
            case INVALID_EVENTS -> new Problem("invalid-events", "Invalid events", 422, refused.detail(),
                    refused.errors(), refused.omitted(), null);
        };
    }

    public static Problem tooLarge(String detail) {
        return of("request-too-large", "Request too large", 413, detail);
    }

    public static Problem unsupportedMediaType(String detail) {
        return of("unsupported-media-type", "Unsupported media type", 415, detail);
    }

    public static Problem invalidParameter(String parameter, String detail) {
        return new Problem("invalid-parameter", "Invalid query parameter", 400, parameter + " " + detail,
                List.of(new FieldError(null, parameter, detail)), 0, null);
    }

    public static Problem invalidHeader(String header, String detail) {
        return new Problem("invalid-header", "Invalid request header", 400, header + " " + detail,
                List.of(new FieldError(null, header, detail)), 0, null);
    }

    /** A plain HTTP error with no further semantics (RFC 9457 section 4.2.1). */
    public static Problem http(int status, String title, String detail) {
        return of(null, title, status, detail);
    }

    public static Problem unavailable(String slug, String title, String detail, Duration retryAfter) {
        return new Problem(slug, title, 503, detail, List.of(), 0, retryAfter);
    }

    /** The type URI this problem is identified by. */
    public String type() {
        return slug == null ? "about:blank" : TYPE_PREFIX + slug;
    }

    /** This problem as an HTTP response, with Retry-After where it applies. */
    public Response toResponse(String instance) {
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(toJson(instance).toString());
        if (retryAfter != null) {
            response.header("Retry-After", Math.max(1, retryAfter.toSeconds()));
        }
        if (status == 408 || status == 413) {
            // The rest of the body is never read: the connection cannot carry another request (RFC 9110, 15.5.9).
            response.header("Connection", "close");
        }
        return response.build();
    }

    /** The problem+json body; {@code instance} is the request path, or {@code null} to leave it out. */
    public JsonObject toJson(String instance) {
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("type", type())
                .add("title", title)
                .add("status", status)
                .add("detail", detail);
        if (instance != null) {
            body.add("instance", instance);
        }
        if (!errors.isEmpty()) {
            JsonArrayBuilder list = JSON.createArrayBuilder();
            for (FieldError error : errors) {
                JsonObjectBuilder item = JSON.createObjectBuilder().add("pointer", error.pointer());
                if (error.index() != null) {
                    item.add("index", error.index());
                }
                if (error.field() != null) {
                    item.add("field", error.field());
                }
                list.add(item.add("detail", error.detail()));
            }
            body.add("errors", list);
            if (omitted > 0) {
                body.add("errors_omitted", omitted);
            }
        }
        return body.build();
    }
}
