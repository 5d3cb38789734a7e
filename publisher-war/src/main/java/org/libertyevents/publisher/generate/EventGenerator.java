package org.libertyevents.publisher.generate;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds the events of a run from a {@link GenerationSpec}, deterministically for a given seed.
 *
 * <p>Unique event {@code i} (0-based) gets a seeded random topic, event id {@code runId-i}, source
 * {@code publisher/runId}, timestamp 2026-01-01T00:00:00Z plus {@code i} milliseconds and payload
 * {@code {"seq": i, "run": runId, "amount": 1..10000, "note": short text}}. It is serialized once; every duplicate
 * of it is that same string. Each duplicate copies a random unique event and is placed after it:
 * <ul>
 *     <li>about 25% right behind it, which normally keeps both in the same batch;</li>
 *     <li>about 25% soon: within the next three batches' worth of unique events, so that with several workers
 *     the copies are typically in flight at the same time;</li>
 *     <li>about 50% later: anywhere between the original and the end of the run.</li>
 * </ul>
 */
public final class EventGenerator {

    /** Timestamp of unique event 0; event {@code i} is {@code i} milliseconds later. */
    static final Instant BASE_TIMESTAMP = Instant.parse("2026-01-01T00:00:00Z");

    private static final int SOON_BATCHES = 3;
    private static final int MAX_AMOUNT = 10_000;
    private static final int MIN_NOTE_LENGTH = 4;
    private static final int MAX_NOTE_LENGTH = 12;
    private static final String NOTE_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private EventGenerator() {
    }

    /** Generates the run {@code spec} describes; the same spec always gives equal batches. */
    public static GeneratedRun generate(GenerationSpec spec) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        // One factory for the whole run: Json.createObjectBuilder() looks the provider up again on every call.
        JsonBuilderFactory json = Json.createBuilderFactory(Map.of());
        int uniqueCount = spec.uniqueCount();
        int duplicateCount = spec.duplicateCount();

        String[] events = new String[uniqueCount];
        List<EventKey> uniqueKeys = new ArrayList<>(uniqueCount);
        List<Slot> slots = new ArrayList<>(spec.count());
        for (int i = 0; i < uniqueCount; i++) {
            EventKey key = new EventKey(spec.topics().get(random.nextInt(spec.topics().size())),
                    spec.runId() + "-" + i);
            uniqueKeys.add(key);
            events[i] = serialize(json, spec.runId(), key, i, random);
            slots.add(new Slot(2L * i, i));
        }

        int lastUnique = uniqueCount - 1;
        // Never wider than the run, which also keeps 3 * batchSize from overflowing.
        int soonWindow = (int) Math.min((long) SOON_BATCHES * spec.batchSize(), uniqueCount);
        for (int d = 0; d < duplicateCount; d++) {
            int original = random.nextInt(uniqueCount);
            int after = placeAfter(original, lastUnique, soonWindow, random);
            // Odd key: between unique `after` (2 * after) and the next unique, never tied with a unique event.
            slots.add(new Slot(2L * after + 1, original));
        }
        // List.sort is stable, so duplicates sharing a gap keep the order in which they were drawn.
        slots.sort(Comparator.comparingLong(Slot::sortKey));

        int batchCapacity = Math.min(spec.batchSize(), spec.count());
        List<List<String>> batches = new ArrayList<>(spec.count() / batchCapacity + 1);
        List<String> batch = new ArrayList<>(batchCapacity);
        for (Slot slot : slots) {
            batch.add(events[slot.event()]);
            if (batch.size() == spec.batchSize()) {
                batches.add(batch);
                batch = new ArrayList<>(batchCapacity);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return new GeneratedRun(batches, uniqueKeys, uniqueCount, duplicateCount);
    }

    /** Index of the unique event a duplicate of {@code original} goes right after. */
    private static int placeAfter(int original, int lastUnique, int soonWindow, SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> original;
            case 1 -> Math.min(lastUnique, original + 1 + random.nextInt(soonWindow));
            default -> original + random.nextInt(lastUnique - original + 1);
        };
    }

    private static String serialize(JsonBuilderFactory json, String runId, EventKey key, int seq,
                                    SplittableRandom random) {
        return json.createObjectBuilder()
                .add("topic", key.topic())
                .add("event_id", key.eventId())
                .add("timestamp", BASE_TIMESTAMP.plusMillis(seq).toString())
                .add("source", "publisher/" + runId)
                .add("payload", json.createObjectBuilder()
                        .add("seq", seq)
                        .add("run", runId)
                        .add("amount", 1 + random.nextInt(MAX_AMOUNT))
                        .add("note", note(random)))
                .build()
                .toString();
    }

    private static String note(SplittableRandom random) {
        char[] note = new char[random.nextInt(MIN_NOTE_LENGTH, MAX_NOTE_LENGTH + 1)];
        for (int i = 0; i < note.length; i++) {
            note[i] = NOTE_ALPHABET.charAt(random.nextInt(NOTE_ALPHABET.length()));
        }
        return new String(note);
    }

    /** One position in the sending order: {@code event} indexes the unique events' serialized text. */
    private record Slot(long sortKey, int event) {
    }
}
