package org.libertyevents.aggregator.intake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.TraceContext;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudEventsParserTest {

    private static final PublishLimits LIMITS = new PublishLimits(1 << 20, 100, 65536, 32, 255, 100);
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final String ORDER = """
            {"specversion":"1.0","id":"A-1","source":"/shop","type":"order.created","time":"2026-11-21T10:00:00Z",
             "subject":"cart-7","datacontenttype":"application/json","traceparent":"00-abc","priority":3,
             "data":{"total":12.50,"items":2}}""";

    private final CloudEventsParser parser = parser("type");

    private static CloudEventsParser parser(String topicAttribute) {
        return new CloudEventsParser(LIMITS, topicAttribute);
    }

    private static ByteArrayInputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<FieldError> errors(Runnable call) {
        return assertThrows(InvalidRequest.class, call::run).errors();
    }

    @Test
    void structuredModeMapsTheAttributesOntoTheEvent() {
        Event event = parser.structured(body(ORDER), NOW).get(0);

        assertEquals("order.created", event.topic());
        assertEquals("A-1", event.eventId());
        assertEquals("/shop", event.source());
        assertEquals(Instant.parse("2026-11-21T10:00:00Z"), event.timestamp());
        assertEquals("{\"items\":2,\"total\":12.5}", event.payload());
        assertEquals(NOW, event.receivedAt());
        assertEquals("{\"datacontenttype\":\"application/json\",\"priority\":3,\"specversion\":\"1.0\","
                + "\"subject\":\"cart-7\",\"traceparent\":\"00-abc\",\"type\":\"order.created\"}", event.attributes());
    }

    @Test
    void theTopicCanComeFromAnotherAttribute() {
        assertEquals("cart-7", parser("subject").structured(body(ORDER), NOW).get(0).topic());
        assertThrows(IllegalArgumentException.class, () -> parser("id"));
        assertThrows(IllegalArgumentException.class, () -> parser("Not-A-Name"));
    }

    @Test
    void batchedModeKeepsOrderAndReportsEachInvalidEventByIndex() {
        String second = ORDER.replace("A-1", "A-2");
        assertEquals(List.of("A-1", "A-2"),
                parser.batch(body("[" + ORDER + "," + second + "]"), NOW).stream().map(Event::eventId).toList());

        String bad = "[" + ORDER + ",{\"specversion\":\"0.3\",\"id\":\"\",\"source\":\"s\",\"type\":\"t\","
                + "\"data\":[1]}, 7]";
        List<FieldError> errors = errors(() -> parser.batch(body(bad), NOW));
        assertEquals(List.of(
                new FieldError(1, "specversion", "must be 1.0"),
                new FieldError(1, "id", "must not be empty"),
                new FieldError(1, "time", "is required"),
                new FieldError(1, "data", "must be a JSON object"),
                new FieldError(2, null, "must be a CloudEvent object")), errors);
    }

    /**
     * A batch over the event limit is refused when the event past it starts: the rest of the body, however long,
     * is not read (a body that breaks off after that event would otherwise be malformed JSON).
     */
    @Test
    void aBatchOverTheLimitIsRefusedWhileStreaming() {
        String over = "[" + String.join(",", Collections.nCopies(LIMITS.maxBatchEvents() + 1, ORDER))
                + ",{\"unfinished";
        InvalidRequest refused = assertThrows(InvalidRequest.class, () -> parser.batch(body(over), NOW));
        assertEquals(InvalidRequest.Kind.TOO_LARGE, refused.kind());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"time\":\"2026-11-21T10:00:00Z\"|\"time\":\"yesterday\"|time",
        "\"datacontenttype\":\"application/json\"|\"datacontenttype\":\"text/xml\"|datacontenttype",
        "\"traceparent\":\"00-abc\"|\"TraceParent\":\"00-abc\"|TraceParent",
        "\"priority\":3|\"priority\":{\"x\":1}|priority",
        "\"priority\":3|\"priority\":1e999999|priority",
        "\"priority\":3|\"priority\":1e-999999|priority",
        "\"data\":{\"total\":12.50,\"items\":2}|\"data_base64\":\"AAAA\"|data_base64"})
    void refusesWhatTheSpecificationOrThisServiceDoesNotAccept(String valid, String invalid, String field) {
        String event = ORDER.replace(valid, invalid);
        List<FieldError> errors = errors(() -> parser.structured(body(event), NOW));
        assertEquals(field, errors.get(0).field(), errors.toString());
    }

    @Test
    void binaryModeReadsTheHeadersAndTakesTheBodyAsData() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Ce-Specversion", List.of("1.0"));
        headers.put("ce-id", List.of("B-1"));
        headers.put("ce-source", List.of("/shop"));
        headers.put("ce-type", List.of("order.paid"));
        headers.put("ce-time", List.of("2026-11-21T10:00:00Z"));
        headers.put("ce-subject", List.of("caf%C3%A9%20au%20lait"));
        headers.put("Content-Type", List.of("application/json"));

        Event event = parser.binary(headers, body("{\"b\":1,\"a\":2}"), NOW).get(0);

        assertEquals("order.paid", event.topic());
        assertEquals("B-1", event.eventId());
        assertEquals("{\"a\":2,\"b\":1}", event.payload());
        assertEquals("{\"specversion\":\"1.0\",\"subject\":\"café au lait\",\"type\":\"order.paid\"}",
                event.attributes());

        headers.remove("ce-time");
        headers.put("ce-subject", List.of("bad%ZZ"));
        List<FieldError> errors = errors(() -> parser.binary(headers, body("{}"), NOW));
        assertEquals(List.of(new FieldError(null, "ce-subject", "is not valid percent-encoded UTF-8"),
                new FieldError(null, "ce-time", "is required")), errors);
    }

    @Test
    void theDistributedTracingExtensionIsTheEventsTraceContextWhenValid() {
        String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        String traced = ORDER.replace("\"00-abc\"", "\"" + parent + "\",\"tracestate\":\"rojo=1\"");
        assertEquals(new TraceContext(parent, "rojo=1"), parser.structured(body(traced), NOW).get(0).trace());
        // An invalid one stays an attribute like any other, and is no trace context.
        Event invalid = parser.structured(body(ORDER), NOW).get(0);
        assertNull(invalid.trace());
        assertTrue(invalid.attributes().contains("\"traceparent\":\"00-abc\""), invalid.attributes());

        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("ce-specversion", List.of("1.0"));
        headers.put("ce-id", List.of("B-1"));
        headers.put("ce-source", List.of("/shop"));
        headers.put("ce-type", List.of("order.paid"));
        headers.put("ce-time", List.of("2026-11-21T10:00:00Z"));
        headers.put("ce-traceparent", List.of(parent));
        assertEquals(new TraceContext(parent, null), parser.binary(headers, body("{}"), NOW).get(0).trace());
    }

    @Test
    void percentDecodingFollowsUtf8() {
        assertEquals("a b", CloudEventAttributes.percentDecode("a%20b"));
        assertEquals("€", CloudEventAttributes.percentDecode("%E2%82%AC"));
        assertNull(CloudEventAttributes.percentDecode("%E2%82"));
        assertNull(CloudEventAttributes.percentDecode("%4"));
    }
}
