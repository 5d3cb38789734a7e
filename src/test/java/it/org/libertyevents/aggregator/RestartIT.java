package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.ItServer;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.Map;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        Api.publish(Api.batch(event(topic, "kept-1"), event(topic, "kept-2"), event(topic, "kept-1")));
        String key = "\"restart-" + topic + "\"";
        String keyed = Api.batch(event(topic, "keyed"));
        Reply first = Api.publishWithHeaders("application/json", keyed, Map.of("Idempotency-Key", key));
        JsonObject before = Api.stats();

        ItServer.restart();

        JsonObject after = Api.stats();
        assertEquals(0, after.getJsonNumber("pending").longValue());
        assertEquals(before.getJsonNumber("unique_processed"), after.getJsonNumber("unique_processed"));
        assertEquals(before.getJsonNumber("duplicate_dropped"), after.getJsonNumber("duplicate_dropped"));
        assertArrayEquals(new long[] {3, 1}, Api.topicCounts(topic));
        assertEquals(200, Api.get("/events/" + Api.encode(topic) + "/kept-2").status());
        // The unique constraint outlives the process: the same event is still a duplicate.
        assertEquals("duplicate", Api.publish(event(topic, "kept-1").toString()).array("results")
                .getJsonObject(0).getString("status"));
        // So do idempotency keys: the retry gets the first answer again, not a duplicate verdict.
        Reply retry = Api.publishWithHeaders("application/json", keyed, Map.of("Idempotency-Key", key));
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(first.body(), retry.body());
    }
}
