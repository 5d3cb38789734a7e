package org.libertyevents.publisher.generate;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EventGenerator: determinism, exact duplicate counts, byte-identical copies after their original, batching,
 * laziness.
 */
class EventGeneratorTest {

    private static final List<String> TOPICS = List.of("orders", "refunds", "audit");
    private static final String PINNED_DIGEST = "0acc3e893ba6f1a146a856570b2b061a560c2c530e215dfd238505870fec5b26";

    /** One sent event: where it sits and what it is. */
    private record Sent(int batch, int position, String text, EventKey key, JsonObject json) {
    }

    static Stream<GenerationSpec> specs() {
        return Stream.of(
                new GenerationSpec("load", 20_000, 0.2, TOPICS, 100, 1L),
                new GenerationSpec("odd", 1_050, 0.3, TOPICS, 100, 2L),
                new GenerationSpec("copies", 1_000, 0.9, TOPICS, 7, 3L),
                new GenerationSpec("clean", 500, 0.0, List.of("only"), 64, 4L),
                new GenerationSpec("one", 1, 0.0, TOPICS, 1, 5L),
                new GenerationSpec("wide", 37, 0.5, TOPICS, 1_000, 6L));
    }

    // One factory: Json.createReader looks the provider up again on every call, which is slow for 20,000 events.
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());

    private static JsonObject parse(String text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static List<List<String>> batches(GenerationSpec spec) {
        List<List<String>> batches = new ArrayList<>();
        new EventGenerator(spec).batches().forEachRemaining(batches::add);
        return batches;
    }

    private static List<Sent> flatten(GenerationSpec spec) {
        List<List<String>> batches = batches(spec);
        List<Sent> sent = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            for (String text : batches.get(b)) {
                JsonObject json = parse(text);
                EventKey key = new EventKey(json.getString("topic"), json.getString("event_id"));
                sent.add(new Sent(b, sent.size(), text, key, json));
            }
        }
        return sent;
    }

    /** First occurrence of each key, in order of appearance. */
    private static LinkedHashMap<EventKey, Sent> firstOccurrences(List<Sent> sent) {
        LinkedHashMap<EventKey, Sent> first = new LinkedHashMap<>();
        sent.forEach(s -> first.putIfAbsent(s.key(), s));
        return first;
    }

    /** Every occurrence that is not the first of its key. */
    private static List<Sent> duplicates(List<Sent> sent) {
        Set<EventKey> seen = new HashSet<>();
        return sent.stream().filter(s -> !seen.add(s.key())).toList();
    }

    @Test
    void sameSpecGivesTheSameRun() {
        GenerationSpec spec = new GenerationSpec("r1", 5_000, 0.25, TOPICS, 50, 42L);

        EventGenerator generator = new EventGenerator(spec);

        assertEquals(batches(spec), batches(spec));
        assertEquals(generator.uniqueKeys().toList(), generator.uniqueKeys().toList());
    }

    @Test
    void differentSeedGivesADifferentRun() {
        assertNotEquals(batches(new GenerationSpec("r1", 5_000, 0.25, TOPICS, 50, 42L)),
                batches(new GenerationSpec("r1", 5_000, 0.25, TOPICS, 50, 43L)));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void sendsExactlyTheRequestedUniqueEventsAndDuplicates(GenerationSpec spec) {
        List<Sent> sent = flatten(spec);

        assertEquals(spec.count(), sent.size());
        assertEquals(spec.uniqueCount(), firstOccurrences(sent).size());
        assertEquals(spec.duplicateCount(), duplicates(sent).size());
        assertEquals(spec.uniqueCount(), new EventGenerator(spec).uniqueKeys().count());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void everyDuplicateIsByteIdenticalToItsFirstOccurrence(GenerationSpec spec) {
        List<Sent> sent = flatten(spec);
        Map<EventKey, Sent> first = firstOccurrences(sent);

        for (Sent copy : duplicates(sent)) {
            assertEquals(first.get(copy.key()).text(), copy.text(), () -> "copy at " + copy.position());
        }
        // And conversely distinct keys never share a text.
        assertEquals(first.size(), sent.stream().map(Sent::text).distinct().count());
    }

    /**
     * Copies are byte-identical, so "after the original" is observable as: the first occurrences come in
     * generation order (seq 0, 1, 2, ...). A copy placed ahead of its original's predecessor would break it.
     */
    @ParameterizedTest
    @MethodSource("specs")
    void everyDuplicateFollowsItsOriginal(GenerationSpec spec) {
        List<Sent> sent = flatten(spec);

        List<Integer> firstSeqs = firstOccurrences(sent).values().stream()
                .map(s -> s.json().getJsonObject("payload").getInt("seq"))
                .toList();

        assertEquals(IntStream.range(0, spec.uniqueCount()).boxed().toList(), firstSeqs);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void uniqueKeysAreTheDistinctKeysInOrderOfFirstAppearance(GenerationSpec spec) {
        assertEquals(new ArrayList<>(firstOccurrences(flatten(spec)).keySet()),
                new EventGenerator(spec).uniqueKeys().toList());
    }

    @ParameterizedTest
    @MethodSource("specs")
    void batchesAreFullExceptPossiblyTheLast(GenerationSpec spec) {
        List<List<String>> batches = batches(spec);

        int expectedBatches = (spec.count() + spec.batchSize() - 1) / spec.batchSize();
        assertEquals(expectedBatches, batches.size());
        for (int b = 0; b < batches.size() - 1; b++) {
            assertEquals(spec.batchSize(), batches.get(b).size(), "batch " + b);
        }
        int last = batches.get(batches.size() - 1).size();
        assertEquals(spec.count() - (expectedBatches - 1) * spec.batchSize(), last);
    }

    @Test
    void unevenCountLeavesAShortLastBatch() {
        List<List<String>> batches = batches(new GenerationSpec("r", 1_050, 0.3, TOPICS, 100, 9L));

        assertEquals(11, batches.size());
        assertEquals(50, batches.get(10).size());
    }

    @Test
    void duplicatesLandInTheSameBatchSoonAndLater() {
        GenerationSpec spec = new GenerationSpec("mix", 20_000, 0.2, TOPICS, 100, 11L);
        List<Sent> sent = flatten(spec);
        Map<EventKey, Sent> first = firstOccurrences(sent);
        List<Sent> copies = duplicates(sent);

        long sameBatch = 0;
        long soon = 0;
        long later = 0;
        long rightBehind = 0;
        for (Sent copy : copies) {
            int batchesAfter = copy.batch() - first.get(copy.key()).batch();
            if (batchesAfter == 0) {
                sameBatch++;
            } else if (batchesAfter <= 3) {
                soon++;
            } else {
                later++;
            }
            if (sent.get(copy.position() - 1).key().equals(copy.key())) {
                rightBehind++;
            }
        }

        assertEquals(4_000, copies.size());
        // About a quarter are placed right behind their original; half anywhere later.
        assertTrue(rightBehind >= 800 && rightBehind <= 1_200, "right behind: " + rightBehind);
        assertTrue(sameBatch >= rightBehind * 9 / 10, "same batch: " + sameBatch);
        assertTrue(soon >= 400, "within three batches: " + soon);
        assertTrue(later >= 1_600 && later <= 2_400, "more than three batches later: " + later);
    }

    @Test
    void uniqueEventsCarryTheDocumentedFields() {
        GenerationSpec spec = new GenerationSpec("fields", 1_000, 0.1, TOPICS, 100, 13L);
        List<Sent> sent = flatten(spec);
        Set<Integer> amounts = new HashSet<>();
        Set<String> notes = new HashSet<>();

        for (Sent s : firstOccurrences(sent).values()) {
            JsonObject event = s.json();
            JsonObject payload = event.getJsonObject("payload");
            int seq = payload.getInt("seq");
            assertEquals(Set.of("topic", "event_id", "timestamp", "source", "payload"), event.keySet());
            assertTrue(TOPICS.contains(event.getString("topic")), event.getString("topic"));
            assertEquals("fields-" + seq, event.getString("event_id"));
            assertEquals("publisher/fields", event.getString("source"));
            assertEquals(Instant.parse("2026-01-01T00:00:00Z").plusMillis(seq).toString(),
                    event.getString("timestamp"));
            assertEquals(Set.of("seq", "run", "amount", "note"), payload.keySet());
            assertEquals("fields", payload.getString("run"));
            int amount = payload.getInt("amount");
            assertTrue(amount >= 1 && amount <= 10_000, "amount " + amount);
            String note = payload.getString("note");
            assertTrue(note.matches("[a-z0-9]{4,12}"), "note " + note);
            // Compact, canonical JSON text.
            assertEquals(event.toString(), s.text());
            amounts.add(amount);
            notes.add(note);
        }
        assertTrue(amounts.size() > 500, "distinct amounts: " + amounts.size());
        assertTrue(notes.size() > 800, "distinct notes: " + notes.size());
    }

    @Test
    void firstEventHasTheBaseTimestamp() {
        List<Sent> sent = flatten(new GenerationSpec("t", 3, 0.0, TOPICS, 3, 1L));

        assertEquals("2026-01-01T00:00:00Z", sent.get(0).json().getString("timestamp"));
        assertEquals("2026-01-01T00:00:00.002Z", sent.get(2).json().getString("timestamp"));
    }

    @Test
    void eventsAreSpreadOverAllTopics() {
        GenerationSpec spec = new GenerationSpec("spread", 3_000, 0.0, TOPICS, 100, 17L);
        Map<String, Integer> perTopic = new HashMap<>();

        new EventGenerator(spec).uniqueKeys().forEach(k -> perTopic.merge(k.topic(), 1, Integer::sum));

        assertEquals(Set.copyOf(TOPICS), perTopic.keySet());
        perTopic.forEach((topic, n) -> assertTrue(n >= 800 && n <= 1_200, topic + ": " + n));
    }

    @Test
    void batchesCannotBeModified() {
        List<String> batch = new EventGenerator(new GenerationSpec("r", 10, 0.2, TOPICS, 4, 1L)).batches().next();

        assertThrows(UnsupportedOperationException.class, () -> batch.add("{}"));
    }

    @Test
    void anIteratorPastItsEndSaysSo() {
        Iterator<List<String>> batches = new EventGenerator(new GenerationSpec("r", 3, 0.0, TOPICS, 3, 1L)).batches();
        batches.next();

        assertFalse(batches.hasNext());
        assertThrows(NoSuchElementException.class, batches::next);
    }

    @Test
    void handlesTwoHundredThousandEvents() {
        GenerationSpec spec = new GenerationSpec("big", 200_000, 0.2, TOPICS, 500, 19L);

        List<List<String>> batches = batches(spec);

        assertEquals(400, batches.size());
        assertEquals(200_000, batches.stream().mapToInt(List::size).sum());
        assertEquals(160_000, new EventGenerator(spec).uniqueKeys().count());
        assertEquals(160_000, batches.stream().flatMap(List::stream).distinct().count());
    }

    /**
     * Lazy: the first batches of the largest run come at once. Generating the whole run first (1.6 GB of text for
     * the 10 million events) would take far longer than the bound, if the heap held it at all.
     */
    @Test
    void theFirstBatchesOfTenMillionEventsComeWithoutTheRest() {
        GenerationSpec spec = new GenerationSpec("huge", 10_000_000, 0.2, TOPICS, 1_000, 23L);

        List<String> third = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            Iterator<List<String>> batches = new EventGenerator(spec).batches();
            batches.next();
            batches.next();
            return batches.next();
        });
        assertEquals(1_000, third.size());
    }

    /**
     * The sequence is pinned: a seed names the same events in every version, so a run can be repeated and compared
     * later. The digest covers every text of a run with duplicates; change it only when changing the generator on
     * purpose (and say so in the README).
     */
    @Test
    void aSeedGivesThePinnedSequence() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        batches(new GenerationSpec("pinned", 2_000, 0.3, TOPICS, 25, 7L)).stream().flatMap(List::stream)
                .forEach(text -> digest.update((text + "\n").getBytes(StandardCharsets.UTF_8)));

        assertEquals(PINNED_DIGEST, HexFormat.of().formatHex(digest.digest()));
    }
}
