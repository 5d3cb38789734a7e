package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written answer must be JSON that a parser reads back to the totals and verdicts it was given. */
class PublishResultTest {

    private static final Verdict[] VERDICTS = Verdict.values();

    @Test
    void aParserReadsBackEveryVerdictAndTheTotals() throws IOException {
        List<Event> events = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        String[] awkward = {"orders", "quote\"d", "back\\slash", "tab\tand\nnewline", "\u0001control", "zürich €",
                "emoji \uD83D\uDE00"};
        for (int i = 0; i < 10_000; i++) {  // a batch of the largest size: its text passes many chunks
            events.add(new Event(awkward[i % awkward.length], "e-" + i + awkward[(i / 7) % awkward.length],
                    Instant.EPOCH, "test", "{}", Instant.EPOCH, null, null));
            verdicts.add(VERDICTS[(i * 31 + i / 3) % VERDICTS.length]);
        }

        JsonObject answer = read(events, verdicts);

        long stored = verdicts.stream().filter(v -> v == Verdict.STORED).count();
        long conflicts = verdicts.stream().filter(v -> v == Verdict.CONFLICT).count();
        assertEquals(events.size(), answer.getInt("received"));
        assertEquals(stored, answer.getJsonNumber("stored").longValue());
        assertEquals(conflicts, answer.getJsonNumber("conflicts").longValue());
        assertEquals(events.size() - stored - conflicts, answer.getJsonNumber("duplicates").longValue());
        JsonArray results = answer.getJsonArray("results");
        assertEquals(events.size(), results.size());
        for (int i = 0; i < events.size(); i++) {
            JsonObject result = results.getJsonObject(i);
            assertEquals(events.get(i).topic(), result.getString("topic"));
            assertEquals(events.get(i).eventId(), result.getString("event_id"));
            assertEquals(verdicts.get(i).name().toLowerCase(), result.getString("status"));
            assertEquals(3, result.size());
        }
    }

    @Test
    void oneEvent() throws IOException {
        JsonObject answer = read(List.of(new Event("t", "1", Instant.EPOCH, "s", "{}", Instant.EPOCH, null, null)),
                List.of(Verdict.DUPLICATE));
        assertEquals(Json.createReader(new StringReader("""
                {"received":1,"stored":0,"duplicates":1,"conflicts":0,
                 "results":[{"topic":"t","event_id":"1","status":"duplicate"}]}""")).readObject(), answer);
    }

    private static JsonObject read(List<Event> events, List<Verdict> verdicts) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        PublishResult.of(events, verdicts).write(body);
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body.toByteArray()))) {
            return reader.readObject();
        }
    }
}
