package org.libertyevents.aggregator.intake;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.event.Event;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a publish request body (one event object or an array of them) in a single streaming pass and validates
 * all of it before anything is queued: either every event is returned, or an {@link InvalidRequest} says
 * what is wrong with each one. Unknown members are ignored.
 */
public final class PublishRequestParser {

    static final List<String> FIELDS = List.of("topic", "event_id", "timestamp", "source", "payload");

    private final PublishLimits limits;
    private final JsonBodyReader json;

    public PublishRequestParser(PublishLimits limits) {
        this.limits = limits;
        this.json = new JsonBodyReader(limits);
    }

    /**
     * Parses and validates; {@code receivedAt} is stamped on every event.
     *
     * @throws InvalidRequest if anything in the body is wrong, listing every invalid field found
     */
    public List<Event> parse(InputStream body, Instant receivedAt) {
        try (JsonParser parser = json.open(body)) {
            return new Pass(parser, receivedAt).run();
        } catch (JsonException e) {
            throw json.translate(e);
        } catch (NoSuchElementException | IllegalStateException e) {
            throw JsonBodyReader.incomplete();
        }
    }

    /** State of one parse: the events read so far and the errors found so far. */
    private final class Pass {
        private final JsonParser parser;
        private final Instant receivedAt;
        private final List<Event> events = new ArrayList<>();
        private final FieldErrors errors = new FieldErrors(limits.maxReportedErrors());

        Pass(JsonParser parser, Instant receivedAt) {
            this.parser = parser;
            this.receivedAt = receivedAt;
        }

        List<Event> run() {
            if (!parser.hasNext()) {
                throw InvalidRequest.malformed("the request body is empty");
            }
            switch (parser.next()) {
                case START_OBJECT -> readEvent(null);
                case START_ARRAY -> readBatch();
                default -> error(null, null, "the body must be an event object or an array of event objects");
            }
            if (parser.hasNext()) {
                parser.next();
                throw InvalidRequest.malformed("unexpected content after the JSON value");
            }
            errors.throwIfAny();
            return events;
        }

        private void readBatch() {
            int index = 0;
            for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_ARRAY; next = parser.next()) {
                if (index >= limits.maxBatchEvents()) {
                    throw json.tooManyEvents();
                }
                if (next == JsonParser.Event.START_OBJECT) {
                    readEvent(index);
                } else {
                    error(index, null, "must be an event object");
                    skip(next);
                }
                index++;
            }
            if (index == 0) {
                error(null, null, "the batch is empty: send at least one event");
            }
        }

        private void readEvent(Integer index) {
            String topic = null;
            String eventId = null;
            String source = null;
            Instant timestamp = null;
            String payload = null;
            boolean[] seen = new boolean[FIELDS.size()];
            int errorsBefore = errors.count();
            for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_OBJECT; next = parser.next()) {
                String name = parser.getString();
                JsonParser.Event value = parser.next();
                int field = FIELDS.indexOf(name);
                if (field < 0) {
                    skip(value);
                    continue;
                }
                if (seen[field]) {
                    error(index, name, "appears more than once");
                    skip(value);
                    continue;
                }
                seen[field] = true;
                switch (name) {
                    case "topic" -> topic = text(index, name, value);
                    case "event_id" -> eventId = text(index, name, value);
                    case "source" -> source = text(index, name, value);
                    case "timestamp" -> timestamp = timestamp(index, value);
                    default -> payload = payload(index, value);
                }
            }
            for (int field = 0; field < seen.length; field++) {
                if (!seen[field]) {
                    error(index, FIELDS.get(field), "is required");
                }
            }
            if (errors.count() == errorsBefore) {
                events.add(new Event(topic, eventId, timestamp, source, payload, receivedAt));
            }
        }

        private String text(Integer index, String field, JsonParser.Event value) {
            if (value != JsonParser.Event.VALUE_STRING) {
                error(index, field, "must be a string");
                skip(value);
                return null;
            }
            String text = parser.getString();
            String problem = EventFieldRules.checkText(text, limits.maxFieldLength());
            if (problem != null) {
                error(index, field, problem);
                return null;
            }
            return text;
        }

        private Instant timestamp(Integer index, JsonParser.Event value) {
            Instant instant = null;
            if (value == JsonParser.Event.VALUE_STRING) {
                instant = EventFieldRules.parseTimestamp(parser.getString());
            } else {
                skip(value);
            }
            if (instant == null) {
                error(index, "timestamp", EventFieldRules.timestampRule());
            }
            return instant;
        }

        private String payload(Integer index, JsonParser.Event value) {
            if (value != JsonParser.Event.START_OBJECT) {
                error(index, "payload", "must be a JSON object");
                skip(value);
                return null;
            }
            try {
                return CanonicalPayloadReader.read(parser, limits.maxPayloadBytes(), limits.maxPayloadDepth());
            } catch (CanonicalPayloadReader.PayloadUnreadable e) {
                error(index, "payload", e.getMessage());
                throw errors.problem();
            } catch (IllegalArgumentException e) {
                error(index, "payload", e.getMessage());
                return null;
            }
        }

        private void skip(JsonParser.Event value) {
            if (value == JsonParser.Event.START_OBJECT) {
                parser.skipObject();
            } else if (value == JsonParser.Event.START_ARRAY) {
                parser.skipArray();
            }
        }

        private void error(Integer index, String field, String detail) {
            errors.add(index, field, detail);
        }
    }
}
