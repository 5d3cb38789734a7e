package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.core.MediaType;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.event.Event;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads CloudEvents 1.0 published over HTTP: structured mode ({@code application/cloudevents+json}), batched mode
 * ({@code application/cloudevents-batch+json}) and binary mode ({@code ce-*} headers, the data as the body). Each
 * CloudEvent becomes an event: {@code id} is its event_id, {@code source} its source, {@code time} (required here)
 * its timestamp, {@code data} (a JSON object) its payload, and the configured attribute (by default {@code type})
 * its topic. The other context attributes travel with the event and are stored with it. Validation is all or
 * nothing, and errors name the batch index and attribute as for the service's own format.
 */
final class CloudEventsParser {

    static final MediaType STRUCTURED = new MediaType("application", "cloudevents+json");
    static final MediaType BATCH = new MediaType("application", "cloudevents-batch+json");
    static final String HEADER_PREFIX = "ce-";

    /** The attributes mapped onto the event's own fields, so not kept among its other attributes. */
    private static final Set<String> MAPPED = Set.of("id", "source", "time", "data");
    /** Attribute names, as the specification requires them. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+");
    private static final int MAX_ATTRIBUTES_BYTES = 8192;

    private final PublishLimits limits;
    private final JsonBodyReader json;
    private final String topicAttribute;

    CloudEventsParser(PublishLimits limits, String topicAttribute) {
        if (!NAME.matcher(topicAttribute).matches() || MAPPED.contains(topicAttribute)) {
            throw new IllegalArgumentException("CLOUDEVENTS_TOPIC_ATTRIBUTE must name a context attribute other than "
                    + MAPPED + " (lower-case letters and digits), not " + topicAttribute);
        }
        this.limits = limits;
        this.json = new JsonBodyReader(limits);
        this.topicAttribute = topicAttribute;
    }

    /** Structured mode: the body is one CloudEvent in the JSON event format. */
    List<Event> structured(InputStream body, Instant receivedAt) {
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
    List<Event> batch(InputStream body, Instant receivedAt) {
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
    List<Event> binary(Map<String, List<String>> headers, InputStream body, Instant receivedAt) {
        JsonObjectBuilder event = Json.createObjectBuilder();
        FieldErrors errors = new FieldErrors(limits.maxReportedErrors());
        headers.forEach((header, values) -> {
            String name = header.toLowerCase(Locale.ROOT);
            if (name.startsWith(HEADER_PREFIX) && !values.isEmpty()) {
                String attribute = name.substring(HEADER_PREFIX.length());
                if (values.size() > 1) {
                    errors.add(null, name, "appears more than once");
                }
                String decoded = percentDecode(values.get(0));
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
        if (contentType != null && !isJson(contentType)) {
            errors.add(index, prefix + "datacontenttype", "must be a JSON media type: data is stored as JSON");
        }
        if (ce.containsKey("data_base64")) {
            errors.add(index, "data_base64", "binary data is not supported: send data as a JSON object");
        }
        String payload = payload(ce.get("data"), index, errors);
        String attributes = attributes(ce, index, prefix, errors);
        if (errors.count() == before) {
            events.add(new Event(topic, id, time, source, payload, receivedAt, attributes));
        }
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

    /** Every context attribute but those mapped onto the event's fields, as canonical JSON. */
    private static String attributes(JsonObject ce, Integer index, String prefix, FieldErrors errors) {
        JsonObjectBuilder kept = Json.createObjectBuilder();
        for (var attribute : ce.entrySet()) {
            String name = attribute.getKey();
            JsonValue value = attribute.getValue();
            // A null attribute is an absent one, as the JSON event format says.
            if (MAPPED.contains(name) || name.equals("data_base64")
                    || value.getValueType() == JsonValue.ValueType.NULL) {
                continue;
            }
            String problem = null;
            if (!NAME.matcher(name).matches()) {
                problem = "is not a CloudEvents attribute name (lower-case letters and digits)";
            } else if (value.getValueType() == JsonValue.ValueType.OBJECT
                    || value.getValueType() == JsonValue.ValueType.ARRAY) {
                problem = "must be a string, number or boolean";
            } else if (value instanceof JsonString text) {
                problem = EventFieldRules.checkText(text.getString(), MAX_ATTRIBUTES_BYTES);
            } else if (value instanceof JsonNumber number) {
                // Stored as JSON beside the event: PostgreSQL's jsonb cast would refuse the whole group over it.
                problem = EventFieldRules.checkNumber(number);
            }
            if (problem == null) {
                kept.add(name, value);
            } else {
                errors.add(index, prefix + name, problem);
            }
        }
        String text = CanonicalJson.write(kept.build());
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_ATTRIBUTES_BYTES) {
            errors.add(index, null,
                    "the context attributes must be at most " + MAX_ATTRIBUTES_BYTES + " bytes as JSON");
        }
        return text;
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

    static boolean isJson(String mediaType) {
        try {
            MediaType type = MediaType.valueOf(mediaType);
            return type.getType().equalsIgnoreCase("application")
                    && (type.getSubtype().equalsIgnoreCase("json") || type.getSubtype().toLowerCase(Locale.ROOT)
                    .endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Decodes {@code %XX} sequences as UTF-8 bytes; null when the text is not valid that way. */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    return null;
                }
                int high = Character.digit(value.charAt(i + 1), 16);
                int low = Character.digit(value.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
