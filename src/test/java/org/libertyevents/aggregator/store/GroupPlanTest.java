package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;
import org.libertyevents.aggregator.event.Verdict;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.libertyevents.aggregator.event.Verdict.CONFLICT;
import static org.libertyevents.aggregator.event.Verdict.DUPLICATE;
import static org.libertyevents.aggregator.event.Verdict.STORED;

/** GroupPlan: first occurrences become candidates, verdicts follow what the database inserted, deltas per topic. */
class GroupPlanTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static Event event(String topic, String eventId, String payload) {
        return new Event(topic, eventId, AT, "src", payload, AT);
    }

    private static Event event(String topic, String eventId) {
        return event(topic, eventId, "{}");
    }

    @Test
    void candidatesAreTheFirstOccurrenceOfEachKeyInArrivalOrder() {
        Event a1 = event("a", "1", "{\"v\":1}");
        Event a2 = event("a", "2");
        Event a1Again = event("a", "1", "{\"v\":2}");
        Event b1 = event("b", "1");
        Event a2Again = event("a", "2");

        List<Event> candidates = GroupPlan.of(List.of(a1, a2, a1Again, b1, a2Again)).candidates();

        assertEquals(3, candidates.size());
        assertSame(a1, candidates.get(0));
        assertSame(a2, candidates.get(1));
        assertSame(b1, candidates.get(2));
    }

    @Test
    void sameEventIdInTwoTopicsAreBothCandidates() {
        Event orders = event("orders", "42");
        Event refunds = event("refunds", "42");

        assertEquals(List.of(orders, refunds), GroupPlan.of(List.of(orders, refunds)).candidates());
    }

    @Test
    void candidatesCannotBeModified() {
        List<Event> candidates = GroupPlan.of(List.of(event("a", "1"))).candidates();

        assertThrows(UnsupportedOperationException.class, () -> candidates.add(event("a", "2")));
    }

    @Test
    void onlyFirstOccurrencesTheDatabaseInsertedAreStored() {
        List<Event> events = List.of(
                event("a", "1"),   // first, inserted
                event("a", "2"),   // first, already in the database
                event("a", "1"),   // later copy of an inserted key
                event("b", "1"),   // first, inserted
                event("a", "2"),   // later copy of a key the database refused
                event("b", "1"));  // later copy of an inserted key
        GroupPlan plan = GroupPlan.of(events);

        List<Verdict> verdicts = plan.verdicts(Set.of(new EventKey("a", "1"), new EventKey("b", "1")), Map.of());

        assertEquals(List.of(STORED, DUPLICATE, DUPLICATE, STORED, DUPLICATE, DUPLICATE), verdicts);
    }

    @Test
    void nothingInsertedMeansEveryEventIsADuplicate() {
        GroupPlan plan = GroupPlan.of(List.of(event("a", "1"), event("b", "1"), event("a", "1")));

        assertEquals(List.of(DUPLICATE, DUPLICATE, DUPLICATE), plan.verdicts(Set.of(), Map.of()));
    }

    @Test
    void insertedKeysOutsideTheGroupChangeNothing() {
        GroupPlan plan = GroupPlan.of(List.of(event("a", "1")));

        assertEquals(List.of(DUPLICATE),
                plan.verdicts(Set.of(new EventKey("b", "1"), new EventKey("1", "a")), Map.of()));
    }

    @Test
    void deltasCountUniqueAndDuplicatesPerTopicSortedByTopic() {
        List<Event> events = List.of(
                event("zeta", "1"), event("alpha", "1"), event("mid", "1"),
                event("zeta", "2"), event("alpha", "1"), event("zeta", "1"));
        List<Verdict> verdicts = List.of(STORED, STORED, DUPLICATE, STORED, DUPLICATE, DUPLICATE);

        SortedMap<String, GroupPlan.TopicDelta> deltas = GroupPlan.deltas(events, verdicts);

        assertEquals(List.of("alpha", "mid", "zeta"), List.copyOf(deltas.keySet()));
        assertEquals(Map.of("alpha", List.of(1L, 1L), "mid", List.of(0L, 1L), "zeta", List.of(2L, 1L)),
                counts(deltas));
    }

    @Test
    void deltasOfAPlanAddUpToTheGroup() {
        List<Event> events = List.of(event("b", "1"), event("a", "1"), event("b", "1"), event("a", "2"));
        GroupPlan plan = GroupPlan.of(events);
        List<Verdict> verdicts = plan.verdicts(Set.of(new EventKey("b", "1"), new EventKey("a", "2")), Map.of());

        SortedMap<String, GroupPlan.TopicDelta> deltas = GroupPlan.deltas(events, verdicts);

        assertEquals(List.of(STORED, DUPLICATE, DUPLICATE, STORED), verdicts);
        assertEquals(Map.of("a", List.of(1L, 1L), "b", List.of(1L, 1L)), counts(deltas));
    }

    @Test
    void emptyGroupHasNoCandidatesVerdictsOrDeltas() {
        GroupPlan plan = GroupPlan.of(List.of());

        assertEquals(List.of(), plan.candidates());
        assertEquals(List.of(), plan.verdicts(Set.of(new EventKey("a", "1")), Map.of()));
        assertEquals(Map.of(), GroupPlan.deltas(List.of(), List.of()));
    }

    @Test
    void aRepeatWithAnotherPayloadIsAConflictWithinTheGroupAndAgainstStoredRows() {
        Event a1 = event("a", "1", "{\"v\":1}");
        Event a1Same = event("a", "1", "{\"v\":1}");
        Event a1Other = event("a", "1", "{\"v\":2}");
        Event b1 = event("b", "1", "{\"v\":1}");
        Event b1Other = event("b", "1", "{\"v\":3}");
        Event c1 = event("c", "1", "{\"v\":1}");
        List<Event> events = List.of(a1, a1Same, a1Other, b1, b1Other, c1);
        GroupPlan plan = GroupPlan.of(events);
        Set<EventKey> inserted = Set.of(a1.key());
        // b/1 was stored earlier with b1's payload; c/1 was stored before hashes were kept (no hash known).
        assertEquals(List.of(b1.key(), c1.key()), plan.taken(inserted));
        Map<EventKey, String> stored = Map.of(b1.key(), GroupPlan.keptHash(GroupPlan.payloadHash(b1.payload())));

        List<Verdict> verdicts = plan.verdicts(inserted, stored);

        assertEquals(List.of(STORED, DUPLICATE, CONFLICT, DUPLICATE, CONFLICT, DUPLICATE), verdicts);
        List<GroupPlan.ConflictCopy> conflicts = plan.conflicts(verdicts, inserted, stored);
        assertEquals(List.of(a1Other, b1Other), conflicts.stream().map(GroupPlan.ConflictCopy::event).toList());
        assertEquals(GroupPlan.keptHash(GroupPlan.payloadHash(a1.payload())), conflicts.get(0).storedHash());
        assertEquals(GroupPlan.payloadHash(b1Other.payload()), conflicts.get(1).payloadHash());
        GroupPlan.TopicDelta a = GroupPlan.deltas(events, verdicts).get("a");
        assertEquals(List.of(1L, 1L, 1L), List.of(a.unique, a.duplicates, a.conflicts));
    }

    @Test
    void payloadHashIsSha256OfTheTextInHex() {
        assertEquals("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", GroupPlan.payloadHash("{}"));
    }

    /** Topic to [unique, duplicates]. */
    private static Map<String, List<Long>> counts(SortedMap<String, GroupPlan.TopicDelta> deltas) {
        Map<String, List<Long>> counts = new TreeMap<>();
        deltas.forEach((topic, delta) -> counts.put(topic, List.of(delta.unique, delta.duplicates)));
        return counts;
    }
}
