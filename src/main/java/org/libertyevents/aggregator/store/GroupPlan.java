package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;
import org.libertyevents.aggregator.event.Verdict;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The pure part of storing a group: which events are candidates for insertion (the first occurrence of each key),
 * and, once the database has said which candidates it inserted and what the rows already there hold, the verdict
 * for every event, the conflicting copies and the counter changes per topic.
 */
final class GroupPlan {

    static final int KEPT_HASH_HEX_DIGITS = 16;

    private final List<Event> events;
    private final List<Event> candidates;
    /** For each event, the index of its key's first occurrence in the group. */
    private final int[] firstIndex;
    /** Each event's payload digest, computed when first needed. */
    private final byte[][] digests;

    private GroupPlan(List<Event> events) {
        this.events = events;
        this.firstIndex = new int[events.size()];
        this.digests = new byte[events.size()][];
        Map<EventKey, Integer> seen = new HashMap<>(events.size() * 2);
        List<Event> first = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            Integer earlier = seen.putIfAbsent(event.key(), i);
            firstIndex[i] = earlier == null ? i : earlier;
            if (earlier == null) {
                first.add(event);
            }
        }
        this.candidates = Collections.unmodifiableList(first);
    }

    static GroupPlan of(List<Event> events) {
        return new GroupPlan(events);
    }

    /** The events to offer the database, in arrival order, each key once. */
    List<Event> candidates() {
        return candidates;
    }

    /** The payload hash each candidate's key keeps ({@link #keptHash}), in the order of {@link #candidates()}. */
    List<String> candidateHashes() {
        List<String> result = new ArrayList<>(candidates.size());
        for (int i = 0; i < events.size(); i++) {
            if (firstIndex[i] == i) {
                result.add(kept(i));
            }
        }
        return result;
    }

    /** The candidates' keys the database did not insert: rows with these keys were there already. */
    List<EventKey> taken(Set<EventKey> inserted) {
        return candidates.stream().map(Event::key).filter(key -> !inserted.contains(key)).toList();
    }

    /**
     * A verdict per event: stored if it is the first occurrence and the database inserted it; otherwise a conflict
     * if the payload differs from the one stored first (in this group, or before it as {@code storedHashes}, the
     * kept hashes, say), else a duplicate. A stored row without a hash (written before hashes were kept) never makes a conflict.
     */
    List<Verdict> verdicts(Set<EventKey> inserted, Map<EventKey, String> storedHashes) {
        List<Verdict> verdicts = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventKey key = events.get(i).key();
            boolean firstInserted = inserted.contains(key);
            if (firstIndex[i] == i && firstInserted) {
                verdicts.add(Verdict.STORED);
                continue;
            }
            String original = firstInserted ? kept(firstIndex[i]) : storedHashes.get(key);
            verdicts.add(original != null && !original.equals(kept(i)) ? Verdict.CONFLICT
                    : Verdict.DUPLICATE);
        }
        return verdicts;
    }

    /** The conflicting copies among the events, each with the hash of the payload stored first. */
    List<ConflictCopy> conflicts(List<Verdict> verdicts, Set<EventKey> inserted, Map<EventKey, String> storedHashes) {
        List<ConflictCopy> conflicts = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (verdicts.get(i) == Verdict.CONFLICT) {
                EventKey key = events.get(i).key();
                String original = inserted.contains(key) ? kept(firstIndex[i]) : storedHashes.get(key);
                conflicts.add(new ConflictCopy(events.get(i), HexFormat.of().formatHex(digest(i)), original));
            }
        }
        return conflicts;
    }

    /**
     * What a key keeps of its payload's hash: the first 8 bytes (16 hex digits), enough to tell payloads apart (an
     * accidental match, which would call a conflicting copy a duplicate, is a 2<sup>-64</sup> chance) in the 8 bytes
     * of a bigint per remembered key.
     */
    static String keptHash(String payloadHash) {
        return payloadHash.substring(0, KEPT_HASH_HEX_DIGITS);
    }

    /** A conflicting copy of an event, as the conflict list keeps it: its full hash, and the one its key kept. */
    record ConflictCopy(Event event, String payloadHash, String storedHash) {
    }

    /**
     * The kept hash of an event's payload, formatted from the digest's first 8 bytes: the full hex hash is only
     * formatted for a conflicting copy, the one place that shows it.
     */
    private String kept(int index) {
        return HexFormat.of().toHexDigits(ByteBuffer.wrap(digest(index)).getLong());
    }

    private byte[] digest(int index) {
        if (digests[index] == null) {
            digests[index] = digest(events.get(index).payload());
        }
        return digests[index];
    }

    private static byte[] digest(String payload) {
        return Sha256.digest().digest(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the canonical payload text, in hex. */
    static String payloadHash(String payload) {
        return HexFormat.of().formatHex(digest(payload));
    }

    /**
     * Counter increments per topic, sorted by topic so that concurrent transactions lock counter rows in the
     * same order and cannot deadlock on them.
     */
    static SortedMap<String, TopicDelta> deltas(List<Event> events, List<Verdict> verdicts) {
        SortedMap<String, TopicDelta> deltas = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            TopicDelta delta = deltas.computeIfAbsent(events.get(i).topic(), topic -> new TopicDelta());
            switch (verdicts.get(i)) {
                case STORED -> delta.unique++;
                case DUPLICATE -> delta.duplicates++;
                case CONFLICT -> delta.conflicts++;
            }
        }
        return deltas;
    }

    /** What one group adds to a topic's counters. */
    static final class TopicDelta {
        long unique;
        long duplicates;
        long conflicts;
    }
}
