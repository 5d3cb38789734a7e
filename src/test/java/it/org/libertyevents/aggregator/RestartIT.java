package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.ItServer;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.Map;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Events, counters, dedup and idempotency keys survive a server restart. */
@MicroShedTest
class RestartIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void restartKeepsEventsCountersAndDedup() {
        String topic = freshTopic("restart");
        String base = Api.baseUrl();
        Ledger ledger = new Ledger();
        ledger.publish(base, Api.batch(event(topic, "kept-1"), event(topic, "kept-2"), event(topic, "kept-1")), false);
        String key = "\"restart-" + topic + "\"";
        String keyed = Api.batch(event(topic, "keyed"));
        Reply first = ledger.publish(base, keyed, Map.of("Idempotency-Key", key));
        JsonObject before = Api.stats();

        ItServer.restart();

        JsonObject after = Api.stats();
        assertEquals(0, after.getJsonNumber("pending").longValue());
        assertEquals(before.getJsonNumber("unique_processed"), after.getJsonNumber("unique_processed"));
        assertEquals(before.getJsonNumber("duplicate_dropped"), after.getJsonNumber("duplicate_dropped"));
        ledger.assertMatches(base);
        assertEquals(200, Api.get("/events/" + Api.encode(topic) + "/kept-2").status());
        // The unique constraint outlives the process: the same event is still a duplicate.
        assertEquals("duplicate", ledger.publish(base, event(topic, "kept-1").toString(), false).array("results")
                .getJsonObject(0).getString("status"));
        // So do idempotency keys: the retry gets the first answer again, not a duplicate verdict.
        Reply retry = ledger.publish(base, keyed, Map.of("Idempotency-Key", key));
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(first.body(), retry.body());
        ledger.assertMatches(base);
    }
}
