package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;
import org.libertyevents.aggregator.event.Verdict;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The pure part of storing a group: which events are candidates for insertion (the first occurrence of each key),
 * and, once the database has said which candidates it inserted, the verdict for every event and the counter
 * changes per topic.
 */
final class GroupPlan {

    private final List<Event> events;
    private final List<Event> candidates;
    private final boolean[] firstOccurrence;

    private GroupPlan(List<Event> events) {
        this.events = events;
        this.firstOccurrence = new boolean[events.size()];
        Map<EventKey, Boolean> seen = new HashMap<>(events.size() * 2);
        List<Event> first = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (seen.putIfAbsent(event.key(), Boolean.TRUE) == null) {
                firstOccurrence[i] = true;
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

    /** A verdict per event: stored if it is the first occurrence and the database inserted it. */
    List<Verdict> verdicts(Set<EventKey> inserted) {
        List<Verdict> verdicts = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            boolean stored = firstOccurrence[i] && inserted.contains(events.get(i).key());
            verdicts.add(stored ? Verdict.STORED : Verdict.DUPLICATE);
        }
        return verdicts;
    }

    /**
     * Counter increments per topic, sorted by topic so that concurrent transactions lock counter rows in the
     * same order and cannot deadlock on them.
     */
    static SortedMap<String, TopicDelta> deltas(List<Event> events, List<Verdict> verdicts) {
        SortedMap<String, TopicDelta> deltas = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            TopicDelta delta = deltas.computeIfAbsent(events.get(i).topic(), topic -> new TopicDelta());
            if (verdicts.get(i) == Verdict.STORED) {
                delta.unique++;
            } else {
                delta.duplicates++;
            }
        }
        return deltas;
    }

    /** What one group adds to a topic's counters. */
    static final class TopicDelta {
        long unique;
        long duplicates;
    }
}
