package org.libertyevents.aggregator.broker;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import org.libertyevents.aggregator.event.Event;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The body of a stream entry: its events as a JSON array of arrays
 * {@code [topic, event_id, timestamp, source, payload, received_at, attributes]}, the last null for an event not
 * published as a CloudEvent. The payload travels as a JSON string holding
 * the already validated compact payload, so a consumer hands it to the database without parsing it again.
 */
final class EntryCodec {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());
    /** The text fields before the attributes. */
    private static final int TEXT_FIELDS = 6;

    private EntryCodec() {
    }

    static String encode(List<Event> events) {
        StringWriter out = new StringWriter(events.size() * 160);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartArray();
            for (Event event : events) {
                json.writeStartArray()
                        .write(event.topic())
                        .write(event.eventId())
                        .write(event.timestamp().toString())
                        .write(event.source())
                        .write(event.payload())
                        .write(event.receivedAt().toString());
                if (event.attributes() == null) {
                    json.writeNull();
                } else {
                    json.write(event.attributes());
                }
                json.writeEnd();
            }
            json.writeEnd();
        }
        return out.toString();
    }

    /**
     * Reads an entry body back.
     *
     * @throws IllegalArgumentException when the body is not one this class wrote
     */
    static List<Event> decode(String body) {
        if (body == null) {
            throw new IllegalArgumentException("the entry has no events field");
        }
        List<Event> events = new ArrayList<>();
        try (JsonParser json = PARSERS.createParser(new StringReader(body))) {
            expect(json, JsonParser.Event.START_ARRAY);
            for (JsonParser.Event next = json.next(); next != JsonParser.Event.END_ARRAY; next = json.next()) {
                if (next != JsonParser.Event.START_ARRAY) {
                    throw new IllegalArgumentException("an event must be an array, found " + next);
                }
                String[] fields = new String[TEXT_FIELDS];
                for (int i = 0; i < TEXT_FIELDS; i++) {
                    expect(json, JsonParser.Event.VALUE_STRING);
                    fields[i] = json.getString();
                }
                JsonParser.Event last = json.hasNext() ? json.next() : null;
                String attributes = last == JsonParser.Event.VALUE_STRING ? json.getString() : null;
                if (last != JsonParser.Event.VALUE_STRING && last != JsonParser.Event.VALUE_NULL) {
                    throw new IllegalArgumentException("expected the attributes, found " + last);
                }
                expect(json, JsonParser.Event.END_ARRAY);
                events.add(new Event(fields[0], fields[1], Instant.parse(fields[2]), fields[3], fields[4],
                        Instant.parse(fields[5]), attributes));
            }
            if (json.hasNext()) {
                throw new IllegalArgumentException("text after the events array");
            }
        } catch (JsonParsingException | DateTimeException | NoSuchElementException e) {
            throw new IllegalArgumentException("unreadable entry: " + e.getMessage(), e);
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException("the entry holds no events");
        }
        return events;
    }

    private static void expect(JsonParser json, JsonParser.Event expected) {
        JsonParser.Event actual = json.hasNext() ? json.next() : null;
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + expected + ", found " + actual);
        }
    }
}
