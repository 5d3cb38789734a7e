package org.libertyevents.publisher.generate;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The events of a run from a {@link GenerationSpec}, generated lazily and deterministically for a given seed: a
 * run of 10 million events holds one batch at a time, never the whole run.
 *
 * <p>Unique event {@code i} (0-based) gets a topic, event id {@code runId-i}, source {@code publisher/runId},
 * timestamp 2026-01-01T00:00:00Z plus {@code i} milliseconds and payload
 * {@code {"seq": i, "run": runId, "amount": 1..10000, "note": short text}}, all drawn from a random generator of its
 * own seeded from the run's seed and {@code i}; so the same text can be generated again for each of its duplicates,
 * byte for byte, without keeping it. Unique events go out in order; after the first, each position holds a
 * duplicate with probability (duplicates left) / (positions left), which places exactly
 * {@link GenerationSpec#duplicateCount()} of them, uniformly. A duplicate copies:
 * <ul>
 *     <li>about 25%: the event just before it, which normally keeps both in the same batch;</li>
 *     <li>about 25%: a unique event of the last three batches' worth, so that with several workers the copies are
 *     typically in flight at the same time;</li>
 *     <li>about 50%: any earlier unique event.</li>
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
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final GenerationSpec spec;
    // One factory for the whole run: Json.createObjectBuilder() looks the provider up again on every call.
    private final JsonBuilderFactory json = Json.createBuilderFactory(Map.of());

    public EventGenerator(GenerationSpec spec) {
        this.spec = spec;
    }

    public GenerationSpec spec() {
        return spec;
    }

    /**
     * The sending sequence cut into batches of {@code batchSize} (the last may be shorter), each an unmodifiable
     * list of compact JSON texts. Every call starts the same sequence afresh; an iterator is not thread-safe.
     */
    public Iterator<List<String>> batches() {
        return new Batches();
    }

    /** The distinct keys in the order their first occurrences are sent, generated as the stream is consumed. */
    public Stream<EventKey> uniqueKeys() {
        return IntStream.range(0, spec.uniqueCount()).mapToObj(this::key);
    }

    private EventKey key(int seq) {
        return key(seq, random(seq));
    }

    private EventKey key(int seq, SplittableRandom random) {
        return new EventKey(spec.topics().get(random.nextInt(spec.topics().size())), spec.runId() + "-" + seq);
    }

    /** Unique event {@code seq}'s text: the same on every call, which makes its duplicates byte-identical. */
    private String event(int seq) {
        SplittableRandom random = random(seq);
        EventKey key = key(seq, random);
        return json.createObjectBuilder()
                .add("topic", key.topic())
                .add("event_id", key.eventId())
                .add("timestamp", BASE_TIMESTAMP.plusMillis(seq).toString())
                .add("source", "publisher/" + spec.runId())
                .add("payload", json.createObjectBuilder()
                        .add("seq", seq)
                        .add("run", spec.runId())
                        .add("amount", 1 + random.nextInt(MAX_AMOUNT))
                        .add("note", note(random)))
                .build()
                .toString();
    }

    /** Event {@code seq}'s own generator; seeds mixed so that neighbouring events' sequences do not overlap. */
    private SplittableRandom random(int seq) {
        long z = spec.seed() + (seq + 1L) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return new SplittableRandom(z ^ (z >>> 33));
    }

    private static String note(SplittableRandom random) {
        char[] note = new char[random.nextInt(MIN_NOTE_LENGTH, MAX_NOTE_LENGTH + 1)];
        for (int i = 0; i < note.length; i++) {
            note[i] = NOTE_ALPHABET.charAt(random.nextInt(NOTE_ALPHABET.length()));
        }
        return new String(note);
    }

    /** Walks the sending sequence, holding only its position and the placement generator's state. */
    private final class Batches implements Iterator<List<String>> {

        private final SplittableRandom placement = new SplittableRandom(spec.seed());
        // Never wider than the run, which also keeps 3 * batchSize from overflowing.
        private final int soonWindow = (int) Math.min((long) SOON_BATCHES * spec.batchSize(), spec.uniqueCount());
        private int position;
        private int nextUnique;
        private int duplicatesLeft = spec.duplicateCount();
        /** The unique event whose text went out last (as itself or as a copy). */
        private int previous;

        @Override
        public boolean hasNext() {
            return position < spec.count();
        }

        @Override
        public List<String> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<String> batch = new ArrayList<>(Math.min(spec.batchSize(), spec.count() - position));
            while (batch.size() < spec.batchSize() && hasNext()) {
                previous = nextEvent();
                batch.add(event(previous));
                position++;
            }
            return Collections.unmodifiableList(batch);
        }

        /** The unique event whose text goes at {@link #position}. */
        private int nextEvent() {
            int positionsLeft = spec.count() - position;
            // Selection sampling: position 0 is always unique event 0, and exactly duplicateCount positions copy.
            if (position > 0 && placement.nextInt(positionsLeft) < duplicatesLeft) {
                duplicatesLeft--;
                int lastUnique = nextUnique - 1;
                return switch (placement.nextInt(4)) {
                    case 0 -> previous;
                    case 1 -> Math.max(0, lastUnique - placement.nextInt(soonWindow));
                    default -> placement.nextInt(lastUnique + 1);
                };
            }
            return nextUnique++;
        }
    }
}
