package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.PublisherRuns;
import it.org.libertyevents.aggregator.support.StoredRows;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publisher WAR, deployed beside the aggregator, sends runs with true duplicates and audits them. */
@MicroShedTest
class PublisherIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    /**
     * The publisher is this test's client: its run says what it had acknowledged and how many attempts it retried,
     * and its events go to a topic of their own, so that the topic's counters can be held against those figures. A
     * retried attempt may have committed before it failed, so each retry allows one batch more of duplicates.
     */
    @Test
    void twentyThousandEventsWithTwentyPercentDuplicatesTakeEffectExactlyOnce() {
        String topic = Api.freshTopic("publisher");
        int batchSize = 200;
        JsonObject run = PublisherRuns.awaitFinished(PublisherRuns.start(Json.createObjectBuilder().add("count", 20_000)
                .add("duplicate_ratio", 0.2).add("batch_size", batchSize).add("concurrency", 4).add("seed", 7)
                .add("topics", Json.createArrayBuilder().add(topic)).add("target", Api.baseUrl()).build()));

        assertEquals("succeeded", run.getString("state"), run.toString());
        JsonObject audit = run.getJsonObject("audit");
        assertTrue(audit.getBoolean("exactly_once"), audit.toString());
        assertEquals(16_000, audit.getInt("expected_unique"));
        assertEquals(16_000, audit.getInt("stats_unique_delta"));
        assertEquals(20_000, run.getInt("acknowledged"));
        long unique = audit.getInt("expected_unique");
        long duplicates = run.getInt("acknowledged") - unique;
        Ledger.Counters counted = Ledger.Counters.at(Api.baseUrl(), topic);
        assertEquals(unique, counted.unique(), counted.toString());
        assertEquals(0, new Ledger.Range(duplicates, duplicates + (long) run.getInt("retried") * batchSize)
                .drift(counted.duplicates()), counted + " after " + run.getInt("retried") + " retries");
        assertEquals(0, counted.conflicts());
        assertArrayEquals(new long[] {unique, unique}, StoredRows.of(Api.baseUrl(), topic), "rows and distinct ids");
    }

    @Test
    void smallRunLooksUpEveryEventItSent() {
        JsonObject run = PublisherRuns.awaitFinished(PublisherRuns.start(Json.createObjectBuilder().add("count", 500).add("batch_size", 1)
                .add("concurrency", 8).add("target", Api.baseUrl()).build()));

        JsonObject audit = run.getJsonObject("audit");
        assertTrue(audit.getBoolean("exactly_once"), run.toString());
        assertEquals(audit.getInt("expected_unique"), audit.getInt("keys_checked"));
        assertEquals(0, audit.getInt("keys_missing"));
    }

    /** Only AGGREGATOR_URL (by default this server) and PUBLISHER_TARGETS; PublisherSecurityIT has the rest. */
    @Test
    void aTargetOutsideTheAllowListIsRefused() {
        HttpResponse<String> response = PublisherRuns.post("{\"count\": 100, \"target\": \"http://127.0.0.1:9\"}");
        assertEquals(422, response.statusCode());
        assertTrue(response.body().contains("not among the allowed targets"), response.body());
    }

    @Test
    void aRunWithoutATargetGoesToThisServer() {
        JsonObject run = PublisherRuns.awaitFinished(PublisherRuns.start(Json.createObjectBuilder().add("count", 100)
                .add("batch_size", 10).build()));

        assertEquals("succeeded", run.getString("state"), run.toString());
        assertEquals(Api.baseUrl(), run.getJsonObject("settings").getString("target"));
    }

    @Test
    void invalidSettingsAreRefused() {
        HttpResponse<String> response = PublisherRuns.post("{\"count\": 0, \"mode\": \"fast\"}");
        assertEquals(422, response.statusCode());
        assertTrue(response.body().contains("mode must be"), response.body());
    }
}
