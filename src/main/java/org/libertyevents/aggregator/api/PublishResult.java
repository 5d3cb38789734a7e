package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.ws.rs.core.StreamingOutput;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;

import java.util.List;
import java.util.Map;

/**
 * The body of a successful publish: totals and a verdict per event in request order. Written with a streaming
 * generator because a batch can hold ten thousand results.
 */
final class PublishResult {

    /** Built once: {@code Json.createGenerator} looks its provider up again on every call, at a class-loading cost. */
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private PublishResult() {
    }

    static StreamingOutput of(List<Event> events, List<Verdict> verdicts) {
        long stored = verdicts.stream().filter(v -> v == Verdict.STORED).count();
        long conflicts = verdicts.stream().filter(v -> v == Verdict.CONFLICT).count();
        return output -> {
            try (JsonGenerator json = GENERATORS.createGenerator(output)) {
                json.writeStartObject()
                        .write("received", events.size())
                        .write("stored", stored)
                        .write("duplicates", events.size() - stored - conflicts)
                        .write("conflicts", conflicts)
                        .writeStartArray("results");
                for (int i = 0; i < events.size(); i++) {
                    Event event = events.get(i);
                    json.writeStartObject()
                            .write("topic", event.topic())
                            .write("event_id", event.eventId())
                            .write("status", verdicts.get(i).wireName())
                            .writeEnd();
                }
                json.writeEnd().writeEnd();
            }
        };
    }
}
