package org.libertyevents.aggregator.broker;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.intake.CanonicalJson;
import org.libertyevents.aggregator.intake.CommonTimestamps;
import org.libertyevents.aggregator.event.TraceContext;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a stream entry: its events as a JSON array of arrays
 * {@code [topic, event_id, timestamp, source, payload, received_at, attributes]}, the last null for an event not
 * published as a CloudEvent, then, for an event with a trace context, {@code traceparent, tracestate}. The payload is
 * the already validated canonical text, written into the entry as the JSON value it is, neither escaped nor parsed
 * again: the consumer cuts it out and hands it to the database as is.
 * Entries of earlier versions carried the payload as a JSON string; they are read too. Fields a later version appends
 * to an event's array (after the trace context, written then as {@code null, null} when there is none) are passed
 * over, so that in a rolling upgrade this version's consumers still store what newer instances append, without what
 * those fields add; builds before the trace context dead-letter entries of any other shape (see operations.md).
 *
 * <p>Written and read by hand: a general JSON generator and parser cost more than the rest of an asynchronous
 * publish, for a shape that never changes.
 */
final class EntryCodec {

    /** The text fields before the payload, and after it. */
    private static final int FIELDS_BEFORE_PAYLOAD = 4;

    private EntryCodec() {
    }

    static String encode(List<Event> events) {
        int size = 2;
        for (Event event : events) {
            size += event.payload().length() + event.topic().length() + event.eventId().length()
                    + event.source().length() + 80;
        }
        StringBuilder out = new StringBuilder(size);
        out.append('[');
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            out.append(i == 0 ? "[" : ",[");
            CanonicalJson.appendString(out, event.topic()).append(',');
            CanonicalJson.appendString(out, event.eventId()).append(',');
            CanonicalJson.appendString(out, CommonTimestamps.format(event.timestamp())).append(',');
            CanonicalJson.appendString(out, event.source()).append(',');
            out.append(event.payload()).append(',');
            CanonicalJson.appendString(out, CommonTimestamps.format(event.receivedAt())).append(',');
            if (event.attributes() == null) {
                out.append("null");
            } else {
                CanonicalJson.appendString(out, event.attributes());
            }
            if (event.trace() != null) {
                CanonicalJson.appendString(out.append(','), event.trace().traceparent()).append(',');
                if (event.trace().tracestate() == null) {
                    out.append("null");
                } else {
                    CanonicalJson.appendString(out, event.trace().tracestate());
                }
            }
            out.append(']');
        }
        return out.append(']').toString();
    }

    /**
     * Reads an entry body back.
     *
     * @throws IllegalArgumentException when the body is not one this class (or an earlier version of it) wrote
     */
    static List<Event> decode(String body) {
        if (body == null) {
            throw new IllegalArgumentException("the entry has no events field");
        }
        EntryScanner in = new EntryScanner(body);
        List<Event> events = new ArrayList<>();
        try {
            in.expect('[');
            if (!in.skipIf(']')) {
                do {
                    events.add(event(in));
                } while (in.skipIf(','));
                in.expect(']');
            }
            in.expectEnd();
            return requireSome(events);
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("unreadable entry: " + e.getMessage(), e);
        }
    }

    private static Event event(EntryScanner in) {
        in.expect('[');
        String[] fields = new String[FIELDS_BEFORE_PAYLOAD];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = in.string();
            in.expect(',');
        }
        String payload = in.peek() == '"' ? in.string() : in.object();
        in.expect(',');
        String receivedAt = in.string();
        in.expect(',');
        String attributes = in.skipIf('n') ? in.rest("ull") : in.string();
        TraceContext trace = null;
        if (in.skipIf(',')) {
            String traceparent = in.skipIf('n') ? in.rest("ull") : in.string();
            in.expect(',');
            String tracestate = in.skipIf('n') ? in.rest("ull") : in.string();
            trace = traceparent == null ? null : new TraceContext(traceparent, tracestate);
            while (in.skipIf(',')) {
                in.skipValue();
            }
        }
        in.expect(']');
        return new Event(fields[0], fields[1], instant(fields[2]), fields[3], payload, instant(receivedAt), attributes,
                trace);
    }

    /** Read by hand in the shape {@link #encode} writes; anything else (a year past 9999) by the full parse. */
    private static Instant instant(String text) {
        Instant instant = CommonTimestamps.parse(text);
        return instant != null ? instant : Instant.parse(text);
    }

    private static List<Event> requireSome(List<Event> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("the entry holds no events");
        }
        return events;
    }
}
