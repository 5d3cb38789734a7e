package org.libertyevents.aggregator.intake;

import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.event.Event;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Builds publish request bodies for the parser tests: a valid event unless a member is replaced or removed. */
final class PublishBodies {

    /** Small limits so that each one is easy to reach: 16 KiB body, 5 events, 64-byte payload, depth 3. */
    static final PublishLimits LIMITS = new PublishLimits(16_384, 5, 64, 3, 255, 100);

    static final Instant RECEIVED_AT = Instant.parse("2026-05-01T08:00:00Z");
    static final String TIMESTAMP = "2026-03-01T12:00:00Z";
    static final String PAYLOAD = "{\"amount\":5}";

    private PublishBodies() {
    }

    /** The members of a valid event with the given id, as raw JSON values in a mutable, ordered map. */
    static Map<String, String> members(String eventId) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("topic", quoted("orders"));
        members.put("event_id", quoted(eventId));
        members.put("timestamp", quoted(TIMESTAMP));
        members.put("source", quoted("shop"));
        members.put("payload", PAYLOAD);
        return members;
    }

    static String validEvent(String eventId) {
        return object(members(eventId));
    }

    /** A valid event whose {@code field} has the given raw JSON value instead. */
    static String eventWith(String field, String rawValue) {
        Map<String, String> members = members("e-1");
        members.put(field, rawValue);
        return object(members);
    }

    static String eventWithout(String field) {
        Map<String, String> members = members("e-1");
        members.remove(field);
        return object(members);
    }

    /** The event the parser should return for {@link #validEvent(String)}. */
    static Event expectedEvent(String eventId) {
        return new Event("orders", eventId, Instant.parse(TIMESTAMP), "shop", PAYLOAD, RECEIVED_AT);
    }

    static String object(Map<String, String> members) {
        return members.entrySet().stream()
                .map(member -> quoted(member.getKey()) + ":" + member.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    static String array(String... elements) {
        return Arrays.stream(elements).collect(Collectors.joining(",", "[", "]"));
    }

    /** A JSON string literal; the text is inserted as is, so JSON escapes in it stay escapes. */
    static String quoted(String text) {
        return "\"" + text + "\"";
    }

    static List<Event> parse(String body) {
        return parse(LIMITS, body);
    }

    static List<Event> parse(PublishLimits limits, String body) {
        return parse(limits, body.getBytes(StandardCharsets.UTF_8));
    }

    static List<Event> parse(PublishLimits limits, byte[] body) {
        return new PublishRequestParser(limits).parse(new ByteArrayInputStream(body), RECEIVED_AT);
    }

    static InvalidRequest problem(String body) {
        return problem(LIMITS, body);
    }

    static InvalidRequest problem(PublishLimits limits, String body) {
        return problem(limits, body.getBytes(StandardCharsets.UTF_8));
    }

    static InvalidRequest problem(PublishLimits limits, byte[] body) {
        return assertThrows(InvalidRequest.class, () -> parse(limits, body));
    }
}
