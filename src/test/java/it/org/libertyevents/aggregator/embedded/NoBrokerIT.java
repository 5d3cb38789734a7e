package it.org.libertyevents.aggregator.embedded;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import static it.org.libertyevents.aggregator.support.Api.batch;
import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default has no broker (no REDIS_URL): {@code Prefer: respond-async} is not honoured, since a 202 for
 * events held only in memory would be a promise the service cannot keep. Runs in the H2 suite only.
 */
@MicroShedTest
class NoBrokerIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void respondAsyncIsIgnoredAndTheAnswerWaitsForTheCommit() {
        String topic = freshTopic("no-broker");
        Ledger ledger = new Ledger();
        Reply reply = ledger.publish(Api.baseUrl(), batch(event(topic, "1")), true);

        assertEquals(200, reply.status());
        assertTrue(reply.headers().firstValue("Preference-Applied").isEmpty());
        ledger.assertMatches(Api.baseUrl());
    }

    @Test
    void statsAndReadinessSayThereIsNoBroker() {
        assertFalse(Api.statsAt(Api.baseUrl()).getJsonObject("broker").getBoolean("enabled"));
        Reply ready = Api.get("/health/ready");
        assertEquals(200, ready.status());
        assertTrue(ready.body().toString().matches("(?s).*\"enabled\"\\s*:\\s*false.*"), ready.body().toString());
    }
}
