package org.libertyevents.aggregator.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.TraceContext;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryCodecTest {

    private static Event event(String topic, String id, String payload) {
        return new Event(topic, id, Instant.parse("2026-11-21T10:15:30.123456Z"), "src", payload,
                Instant.parse("2026-11-21T10:15:31.000001Z"));
    }

    @Test
    void roundTripKeepsEveryFieldAndTheOrder() {
        List<Event> events = List.of(
                event("orders", "1", "{\"a\":1}"),
                event("orders", "2", "{\"text\":\"quote \\\" and \\u0000 and \u00e9\\n\"}"),
                event("t\u00f6pic with \"quotes\"", "id,with,commas", "{}"),
                new Event("orders", "3", Instant.parse("2026-11-21T10:15:30Z"), "src", "{}",
                        Instant.parse("2026-11-21T10:15:31Z"), "{\"specversion\":\"1.0\",\"type\":\"orders\"}"));
        assertEquals(events, EntryCodec.decode(EntryCodec.encode(events)));
    }

    @Test
    void roundTripKeepsTheTraceContext() {
        Event traced = event("orders", "1", "{}").withTrace(new TraceContext(
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "rojo=00f067aa0ba902b7"));
        List<Event> events = List.of(traced, event("orders", "2", "{}"),
                event("orders", "3", "{}").withTrace(new TraceContext(traced.trace().traceparent(), null)));
        assertEquals(events, EntryCodec.decode(EntryCodec.encode(events)));
    }

    @Test
    void payloadTravelsAsTheSameTextNotReparsed() {
        String payload = "{\"b\":2,\"a\":[1,2.50,{\"x\":\"}]\\\\\\\"{[\"}],\"c\":{}}";
        String body = EntryCodec.encode(List.of(event("t", "1", payload)));
        assertTrue(body.contains("," + payload + ","), "the payload is written as the JSON value it is: " + body);
        assertEquals(payload, EntryCodec.decode(body).get(0).payload());
    }

    @Test
    void readsEntriesThatCarryThePayloadAsAString() {
        String body = "[[\"t\",\"1\",\"2026-11-21T10:15:30.123456Z\",\"src\",\"{\\\"a\\\":\\\"\\\\u00e9\\\"}\","
                + "\"2026-11-21T10:15:31.000001Z\",null],[\"t\",\"2\",\"2026-11-21T10:15:30.123456Z\",\"src\",\"{}\","
                + "\"2026-11-21T10:15:31.000001Z\",\"{\\\"type\\\":\\\"x\\\"}\"]]";
        assertEquals(List.of(event("t", "1", "{\"a\":\"\\u00e9\"}"),
                new Event("t", "2", Instant.parse("2026-11-21T10:15:30.123456Z"), "src", "{}",
                        Instant.parse("2026-11-21T10:15:31.000001Z"), "{\"type\":\"x\"}")), EntryCodec.decode(body));
    }

    /** What a later version may write: fields of any kind after the trace context, which is null when absent. */
    @Test
    void passesOverFieldsALaterVersionAppends() {
        String head = "[\"t\",\"1\",\"2026-11-21T10:15:30.123456Z\",\"src\",{},\"2026-11-21T10:15:31.000001Z\",null,";
        String later = ",\"a \\\" ] , string\",{\"a\":[1,\"]}\"]},[[1],{}], -12.5e3 ,true,false,null]";
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        String body = "[" + head + "\"" + traceparent + "\",\"rojo=1\"" + later
                + "," + head + "null,null" + later + "]";
        assertEquals(List.of(event("t", "1", "{}").withTrace(new TraceContext(traceparent, "rojo=1")),
                event("t", "1", "{}")), EntryCodec.decode(body));
    }

    @Test
    void roundTripKeepsEveryCharacterOfTheTextFields() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x10000)));
            }
            Event event = new Event(text.toString(), text.reverse().toString(),
                    Instant.parse("2026-11-21T10:15:30Z"), text.toString(), "{}", Instant.parse("2026-11-21T10:15:31Z"));
            assertEquals(List.of(event), EntryCodec.decode(EntryCodec.encode(List.of(event))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{}", "[[\"t\",\"1\"]]", "[[\"t\",\"1\",\"not a time\",\"s\",\"{}\",\"2026-11-21T10:15:31Z\"]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",{},\"2026-11-21T10:15:31Z\"]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",\"{}\",\"2026-11-21T10:15:31Z\",null,\"extra\"]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",\"{}\",\"2026-11-21T10:15:31Z\"]] trailing", "[1]", "[[\"t\"",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",{\"a\":[1,2},\"2026-11-21T10:15:31Z\",null]]",
        "[[\"t\\x\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",{},\"2026-11-21T10:15:31Z\",null]]",
        "[[\"t\\u12\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",{},\"2026-11-21T10:15:31Z\",null]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",{},\"2026-11-21T10:15:31Z\",nil]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",{},\"2026-11-21T10:15:31Z\",null,null,null,]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",{},\"2026-11-21T10:15:31Z\",null,null,null,}]]"})
    void refusesBodiesItDidNotWrite(String body) {
        assertThrows(IllegalArgumentException.class, () -> EntryCodec.decode(body));
    }

    @Test
    void refusesAMissingBody() {
        assertThrows(IllegalArgumentException.class, () -> EntryCodec.decode(null));
    }
}
