package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stored (topic, event_id) published again with another payload is a conflict, not a duplicate: the first write
 * wins, the conflict is counted apart and listed at GET /conflicts. The same payload spelled differently (member
 * order, number spelling) is still a plain duplicate.
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

        assertEquals(new Ledger.Counters(2, 1, 2), Ledger.Counters.at(base, topic));
        ledger.assertMatches(base);
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

    private static String status(Reply reply) {
        assertEquals(200, reply.status());
        return reply.array("results").getJsonObject(0).getString("status");
    }
}
