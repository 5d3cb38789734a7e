package org.libertyevents.aggregator.intake;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.core.MediaType;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.TraceContext;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads CloudEvents 1.0 published over HTTP: structured mode ({@code application/cloudevents+json}), batched mode
 * ({@code application/cloudevents-batch+json}) and binary mode ({@code ce-*} headers, the data as the body). Each
 * CloudEvent becomes an event: {@code id} is its event_id, {@code source} its source, {@code time} (required here)
 * its timestamp, {@code data} (a JSON object) its payload, and the configured attribute (by default {@code type})
 * its topic. The other context attributes travel with the event and are stored with it; the distributed-tracing
 * extension's {@code traceparent} and {@code tracestate}, when valid, are also its trace context. Validation is all or
 * nothing: each method throws an {@link InvalidRequest} whose errors name the batch index and attribute as for the
 * service's own format.
 */
public final class CloudEventsParser {

    /** Built once: {@code Json.create...} looks its provider up again on every call, at a class-loading cost. */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    /** The media type of structured mode, one CloudEvent in the JSON event format. */
    public static final MediaType STRUCTURED = new MediaType("application", "cloudevents+json");
    /** The media type of batched mode, a JSON array of CloudEvents. */
    public static final MediaType BATCH = new MediaType("application", "cloudevents-batch+json");
    /** Binary mode's context attribute headers start with this; {@code ce-specversion} marks the mode. */
    public static final String HEADER_PREFIX = "ce-";

    private final PublishLimits limits;
    private final JsonBodyReader json;
    private final String topicAttribute;

    /**
     * @param topicAttribute the context attribute read as each event's topic
     * @throws IllegalArgumentException if that is not an attribute name, or names one mapped otherwise
     */
    public CloudEventsParser(PublishLimits limits, String topicAttribute) {
        if (!CloudEventAttributes.isName(topicAttribute) || CloudEventAttributes.MAPPED.contains(topicAttribute)) {
            throw new IllegalArgumentException("CLOUDEVENTS_TOPIC_ATTRIBUTE must name a context attribute other than "
                    + CloudEventAttributes.MAPPED + " (lower-case letters and digits), not " + topicAttribute);
        }
        this.limits = limits;
        this.json = new JsonBodyReader(limits);
        this.topicAttribute = topicAttribute;
    }

    /** Structured mode: the body is one CloudEvent in the JSON event format. */
    public List<Event> structured(InputStream body, Instant receivedAt) {
        JsonValue value = json.readValue(body);
        FieldErrors errors = new FieldErrors(limits.maxReportedErrors());
        List<Event> events = new ArrayList<>(1);
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            errors.add(null, null, "the body must be a CloudEvent object");
        } else {
            read(value.asJsonObject(), null, receivedAt, "", errors, events);
        }
        errors.throwIfAny();
        return events;
    }

    /**
     * Batched mode: the body is a JSON array of CloudEvents, read one CloudEvent at a time, so that a batch with
     * too many events is refused as soon as the one past the limit starts, not after the whole array is built.
     */
    public List<Event> batch(InputStream body, Instant receivedAt) {
        FieldErrors errors = new FieldErrors(limits.maxReportedErrors());
        List<Event> events = new ArrayList<>();
        json.read(body, parser -> {
            if (parser.next() != JsonParser.Event.START_ARRAY) {
                errors.add(null, null, "the body must be a JSON array of CloudEvent objects");
                throw errors.problem();
            }
            int index = 0;
            for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_ARRAY; next = parser.next()) {
                if (index >= limits.maxBatchEvents()) {
                    throw json.tooManyEvents();
                }
                if (next == JsonParser.Event.START_OBJECT) {
                    read(parser.getObject(), index, receivedAt, "", errors, events);
                } else {
                    errors.add(index, null, "must be a CloudEvent object");
                    skip(parser, next);
                }
                index++;
            }
            if (index == 0) {
                errors.add(null, null, "the batch is empty: send at least one event");
            }
            return events;
        });
        errors.throwIfAny();
        return events;
    }

    private static void skip(JsonParser parser, JsonParser.Event value) {
        if (value == JsonParser.Event.START_ARRAY) {
            parser.skipArray();
        }
    }

    /**
     * Binary mode: the context attributes are {@code ce-} headers (percent-encoded where needed, as the HTTP
     * binding says), and the body is the data, a JSON object.
     */
    public List<Event> binary(Map<String, List<String>> headers, InputStream body, Instant receivedAt) {
        JsonObjectBuilder event = JSON.createObjectBuilder();
        FieldErrors errors = new FieldErrors(limits.maxReportedErrors());
        headers.forEach((header, values) -> {
            String name = header.toLowerCase(Locale.ROOT);
            if (name.startsWith(HEADER_PREFIX) && !values.isEmpty()) {
                String attribute = name.substring(HEADER_PREFIX.length());
                if (values.size() > 1) {
                    errors.add(null, name, "appears more than once");
                }
                String decoded = CloudEventAttributes.percentDecode(values.get(0));
                if (decoded == null) {
                    errors.add(null, name, "is not valid percent-encoded UTF-8");
                } else if (!attribute.equals("data")) {
                    event.add(attribute, decoded);
                }
            }
        });
        event.add("data", json.readValue(body));
        List<Event> events = new ArrayList<>(1);
        read(event.build(), null, receivedAt, HEADER_PREFIX, errors, events);
        errors.throwIfAny();
        return events;
    }

    /** Validates one CloudEvent and adds its event, or its errors; {@code prefix} names attributes in errors. */
    private void read(JsonObject ce, Integer index, Instant receivedAt, String prefix, FieldErrors errors,
                      List<Event> events) {
        int before = errors.count();
        String spec = string(ce, "specversion", index, prefix, errors);
        if (spec != null && !spec.equals("1.0")) {
            errors.add(index, prefix + "specversion", "must be 1.0");
        }
        String id = text(ce, "id", index, prefix, errors);
        String source = text(ce, "source", index, prefix, errors);
        if (!topicAttribute.equals("type")) {
            string(ce, "type", index, prefix, errors);
        }
        String topic = text(ce, topicAttribute, index, prefix, errors);
        Instant time = null;
        String rawTime = string(ce, "time", index, prefix, errors);
        if (rawTime != null) {
            time = EventFieldRules.parseTimestamp(rawTime);
            if (time == null) {
                errors.add(index, prefix + "time", EventFieldRules.timestampRule());
            }
        }
        String contentType = ce.containsKey("datacontenttype") ? optionalString(ce, "datacontenttype") : null;
        if (contentType != null && !CloudEventAttributes.isJson(contentType)) {
            errors.add(index, prefix + "datacontenttype", "must be a JSON media type: data is stored as JSON");
        }
        if (ce.containsKey("data_base64")) {
            errors.add(index, "data_base64", "binary data is not supported: send data as a JSON object");
        }
        String payload = payload(ce.get("data"), index, errors);
        String attributes = CloudEventAttributes.kept(ce, index, prefix, errors);
        if (errors.count() == before) {
            events.add(new Event(topic, id, time, source, payload, receivedAt, attributes, trace(ce)));
        }
    }

    /**
     * The distributed-tracing extension's trace context ({@code traceparent}, {@code tracestate}); null when the
     * CloudEvent has none, or one that is not valid W3C Trace Context (it is still kept among the attributes).
     */
    private static TraceContext trace(JsonObject ce) {
        return ce.get("traceparent") instanceof JsonString parent
                ? TraceContext.of(parent.getString(),
                        ce.get("tracestate") instanceof JsonString state ? state.getString() : null)
                : null;
    }

    private String payload(JsonValue data, Integer index, FieldErrors errors) {
        if (data == null || data.getValueType() != JsonValue.ValueType.OBJECT) {
            errors.add(index, "data", data == null ? "is required" : "must be a JSON object");
            return null;
        }
        try {
            return EventFieldRules.canonicalPayload(data.asJsonObject(), limits.maxPayloadBytes(),
                    limits.maxPayloadDepth());
        } catch (IllegalArgumentException e) {
            errors.add(index, "data", e.getMessage());
            return null;
        }
    }

    private String text(JsonObject ce, String name, Integer index, String prefix, FieldErrors errors) {
        String value = string(ce, name, index, prefix, errors);
        if (value != null) {
            String problem = EventFieldRules.checkText(value, limits.maxFieldLength());
            if (problem != null) {
                errors.add(index, prefix + name, problem);
                return null;
            }
        }
        return value;
    }

    /** A required string attribute. */
    private static String string(JsonObject ce, String name, Integer index, String prefix, FieldErrors errors) {
        JsonValue value = ce.get(name);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            errors.add(index, prefix + name, "is required");
            return null;
        }
        if (!(value instanceof JsonString text)) {
            errors.add(index, prefix + name, "must be a string");
            return null;
        }
        if (text.getString().isEmpty()) {
            errors.add(index, prefix + name, "must not be empty");
            return null;
        }
        return text.getString();
    }

    private static String optionalString(JsonObject ce, String name) {
        JsonValue value = ce.get(name);
        return value instanceof JsonString text ? text.getString() : String.valueOf(value);
    }
}
