package org.libertyevents.aggregator.subscription;

import jakarta.json.bind.Jsonb;
import org.libertyevents.aggregator.api.EventView;
import org.libertyevents.aggregator.event.TraceContext;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.StoredEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * One POST of a subscription: one event as {@code GET /events} shows it, or a batch {@code {"events": [...]}}.
 * Its {@code webhook-id} is derived from the events' keys, so that it is the same on every retry and, for a single
 * event, on every redelivery by any instance: receivers deduplicate by it.
 *
 * @param end   where the subscription's cursor goes once the receiver took it
 * @param trace the W3C trace context the message's events were published in, when they share one (a single event's
 *              own, or that of a batch published together), sent as its {@code traceparent} and {@code tracestate}
 *              headers; null otherwise (each event's view in the body still carries its own)
 */
record WebhookMessage(String id, byte[] body, List<Key> events, FeedPosition end, TraceContext trace) {

    /** An event of the message, by its identity. */
    record Key(String topic, String eventId) {
    }

    /** The messages that deliver {@code page} in feed order: one per event, or batches of {@code batchSize}. */
    static List<WebhookMessage> of(List<StoredEvent> page, int batchSize, Jsonb jsonb) {
        List<WebhookMessage> messages = new ArrayList<>();
        for (int from = 0; from < page.size(); from += batchSize) {
            List<StoredEvent> events = page.subList(from, Math.min(page.size(), from + batchSize));
            messages.add(batchSize == 1 ? single(events.get(0), jsonb) : batch(events, jsonb));
        }
        return messages;
    }

    private static WebhookMessage single(StoredEvent event, Jsonb jsonb) {
        return new WebhookMessage(id(event), jsonb.toJson(EventView.of(event)).getBytes(StandardCharsets.UTF_8),
                List.of(new Key(event.getTopic(), event.getEventId())), event.position(), trace(event));
    }

    private static WebhookMessage batch(List<StoredEvent> events, Jsonb jsonb) {
        StringJoiner body = new StringJoiner(",", "{\"events\":[", "]}");
        events.forEach(event -> body.add(jsonb.toJson(EventView.of(event))));
        StoredEvent last = events.get(events.size() - 1);
        return new WebhookMessage(id(events.get(0)) + "-" + events.size(),
                body.toString().getBytes(StandardCharsets.UTF_8),
                events.stream().map(event -> new Key(event.getTopic(), event.getEventId())).toList(), last.position(),
                sharedTrace(events));
    }

    private static TraceContext trace(StoredEvent event) {
        return event.getTraceparent() == null ? null
                : new TraceContext(event.getTraceparent(), event.getTracestate());
    }

    /** The trace context every one of {@code events} has, or null if one has none or another. */
    private static TraceContext sharedTrace(List<StoredEvent> events) {
        TraceContext shared = trace(events.get(0));
        for (StoredEvent event : events) {
            if (shared == null || !shared.equals(trace(event))) {
                return null;
            }
        }
        return shared;
    }

    private static String id(StoredEvent event) {
        return "msg_" + event.keyHash().toString().replace("-", "");
    }
}
