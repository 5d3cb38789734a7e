package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.List;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stored (topic, event_id) published again with another payload is a conflict, not a duplicate: the first write
 * wins, the conflict is counted apart and listed at GET /conflicts. The same payload spelled differently (member
 * order, number spelling) is still a plain duplicate. Both are dropped repeats: {@code duplicate_dropped} counts
 * every one, {@code conflict_dropped} the part whose payload differed, so {@code received = unique_processed +
 * duplicate_dropped + pending + dead_lettered} holds however many conflicts there were.
 */
@MicroShedTest
class ConflictsIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }


    @Test
    void anotherPayloadUnderAStoredKeyIsAConflictAndTheFirstWriteWins() {
        String topic = freshTopic("conflict");
        Ledger ledger = new Ledger();
        String base = Api.baseUrl();
        assertEquals(200, ledger.publish(base, event(topic, "1", "{\"amount\":10,\"currency\":\"EUR\"}"), false)
                .status());

        Reply same = ledger.publish(base, event(topic, "1", "{ \"currency\" : \"EUR\", \"amount\" : 10.0 }"), false);
        assertEquals("duplicate", status(same), "the same payload, spelled differently");

        Reply other = ledger.publish(base, "[" + event(topic, "1", "{\"amount\":99,\"currency\":\"EUR\"}") + ","
                + event(topic, "2", "{\"a\":1}") + "," + event(topic, "2", "{\"a\":2}") + "]", false);
        assertEquals(200, other.status());
        JsonArray results = other.array("results");
        assertEquals("conflict", results.getJsonObject(0).getString("status"));
        assertEquals("stored", results.getJsonObject(1).getString("status"));
        assertEquals("conflict", results.getJsonObject(2).getString("status"), "within one batch too");
        assertEquals(2, other.json().getInt("conflicts"));
        assertEquals(0, other.json().getInt("duplicates"));

        JsonObject stored = Api.get("/events/" + Api.encode(topic) + "/1").json();
        assertEquals(10, stored.getJsonObject("payload").getInt("amount"), "the first write wins");

        assertEquals(new Ledger.Counters(2, 3, 2), Ledger.Counters.at(base, topic), "3 repeats, 2 of them conflicts");
        ledger.assertMatches(base);
    }

    @Test
    void everyDroppedRepeatIsADuplicateAndTheCountersAddUpAfterConflicts() {
        String topic = freshTopic("conflict-sum");
        Ledger ledger = new Ledger();
        String base = Api.baseUrl();
        JsonObject before = Api.stats();
        double metricBefore = metric(base, "aggregator_events_duplicate_total");
        String one = "{\"v\":1}";
        for (List<String> batch : List.of(List.of(event(topic, "a", one), event(topic, "b", one)),
                List.of(event(topic, "a", one), event(topic, "a", "{\"v\":2}")),
                List.of(event(topic, "b", "{\"v\":3}"), event(topic, "c", one), event(topic, "c", one)))) {
            assertEquals(200, ledger.publish(base, "[" + String.join(",", batch) + "]", false).status());
        }
        JsonObject after = Api.stats();

        assertTrue(number(after, "conflict_dropped") > 0);
        assertEquals(after.getJsonNumber("received").longValue(), number(after, "unique_processed")
                + number(after, "duplicate_dropped") + number(after, "pending") + number(after, "dead_lettered"),
                "received = unique_processed + duplicate_dropped + pending + dead_lettered: " + after);
        // The clients' own account: 7 events acknowledged, 3 distinct ids, so 4 repeats, of which 2 conflicts.
        assertEquals(7, ledger.acknowledgedEvents(topic));
        assertEquals(3, ledger.distinct(topic));
        assertEquals(new Ledger.Counters(3, 4, 2), Ledger.Counters.at(base, topic));
        assertEquals(7, delta(before, after, "received"));
        assertEquals(3, delta(before, after, "unique_processed"));
        assertEquals(4, delta(before, after, "duplicate_dropped"), "identical and conflicting repeats alike");
        assertEquals(2, delta(before, after, "conflict_dropped"));
        assertEquals(4, metric(base, "aggregator_events_duplicate_total") - metricBefore, 0.0);
        assertTrue(number(after, "conflict_dropped") <= number(after, "duplicate_dropped"), "a part of the repeats");
    }

    @Test
    void conflictsAreListedNewestFirstWithBothHashes() {
        String topic = freshTopic("conflict-list");
        Api.publish(event(topic, "k", "{\"v\":1}"));
        Api.publish(event(topic, "k", "{\"v\":2}"));
        Api.publish(event(topic, "k", "{\"v\":3}"));

        Reply reply = Api.get("/conflicts?topic=" + Api.encode(topic));
        assertEquals(200, reply.status());
        JsonArray conflicts = reply.body().asJsonArray();
        assertEquals(2, conflicts.size());
        JsonObject newest = conflicts.getJsonObject(0);
        assertEquals(3, newest.getJsonObject("payload").getInt("v"));
        assertEquals("k", newest.getString("event_id"));
        assertEquals(2, conflicts.getJsonObject(1).getJsonObject("payload").getInt("v"));
        assertEquals(newest.getString("stored_payload_hash"),
                conflicts.getJsonObject(1).getString("stored_payload_hash"), "both differ from the same original");
        assertNotEquals(newest.getString("payload_hash"), newest.getString("stored_payload_hash"));

        assertEquals(1, Api.get("/conflicts?limit=1").body().asJsonArray().size());
        assertEquals(400, Api.get("/conflicts?limit=0").status());
        assertTrue(Api.text(Api.baseUrl(), "/metrics").contains("aggregator_events_conflict_total"));
    }

    private static long delta(JsonObject before, JsonObject after, String counter) {
        return number(after, counter) - number(before, counter);
    }

    private static long number(JsonObject stats, String counter) {
        return stats.getJsonNumber(counter).longValue();
    }

    /** The value of an unlabelled (but for its scope) counter in the instance's Prometheus scrape. */
    private static double metric(String base, String name) {
        return Api.text(base, "/metrics").lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " missing from /metrics"));
    }

    private static String status(Reply reply) {
        assertEquals(200, reply.status());
        return reply.array("results").getJsonObject(0).getString("status");
    }
}
