package org.libertyevents.aggregator.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.libertyevents.aggregator.event.Event;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void payloadTravelsAsTheSameTextNotReparsed() {
        String payload = "{\"b\":2,\"a\":[1,2.50,{\"x\":null}]}";
        assertEquals(payload, EntryCodec.decode(EntryCodec.encode(List.of(event("t", "1", payload)))).get(0).payload());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{}", "[[\"t\",\"1\"]]", "[[\"t\",\"1\",\"not a time\",\"s\",\"{}\",\"2026-11-21T10:15:31Z\"]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",{},\"2026-11-21T10:15:31Z\"]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",\"{}\",\"2026-11-21T10:15:31Z\",null,\"extra\"]]",
        "[[\"t\",\"1\",\"2026-11-21T10:15:30Z\",\"s\",\"{}\",\"2026-11-21T10:15:31Z\"]] trailing", "[1]", "[[\"t\""})
    void refusesBodiesItDidNotWrite(String body) {
        assertThrows(IllegalArgumentException.class, () -> EntryCodec.decode(body));
    }

    @Test
    void refusesAMissingBody() {
        assertThrows(IllegalArgumentException.class, () -> EntryCodec.decode(null));
    }
}
