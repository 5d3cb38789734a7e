package org.libertyevents.aggregator.intake;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for CloudEvents context attributes that {@link CloudEventsParser} applies in every mode: their names,
 * their values (kept with the event as canonical JSON, so checked like payload values), and the encodings the HTTP
 * binding uses for them.
 */
final class CloudEventAttributes {

    /** Built once: {@code Json.create...} looks its provider up again on every call, at a class-loading cost. */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    /** The attributes mapped onto the event's own fields, so not kept among its other attributes. */
    static final Set<String> MAPPED = Set.of("id", "source", "time", "data");
    /** Attribute names, as the specification requires them. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+");
    private static final int MAX_ATTRIBUTES_BYTES = 8192;

    private CloudEventAttributes() {
    }

    static boolean isName(String name) {
        return NAME.matcher(name).matches();
    }

    /** Every context attribute but those mapped onto the event's fields, as canonical JSON. */
    static String kept(JsonObject ce, Integer index, String prefix, FieldErrors errors) {
        JsonObjectBuilder kept = JSON.createObjectBuilder();
        for (var attribute : ce.entrySet()) {
            String name = attribute.getKey();
            JsonValue value = attribute.getValue();
            // A null attribute is an absent one, as the JSON event format says.
            if (MAPPED.contains(name) || name.equals("data_base64")
                    || value.getValueType() == JsonValue.ValueType.NULL) {
                continue;
            }
            String problem = null;
            if (!isName(name)) {
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
