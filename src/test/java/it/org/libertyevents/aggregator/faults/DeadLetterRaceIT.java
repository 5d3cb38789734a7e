package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.ItRedis;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Verdicts;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An entry reaches the delivery limit while the consumer that holds it is committing it: the consumer that reclaims
 * it must not dead-letter events that the first one stores. Every event ends either stored or dead-lettered, never
 * both, and the counters say which.
 */
@MicroShedTest
class DeadLetterRaceIT {

    private static final int INSTANCE = 20;
    private static final int EVENTS = 10;
    private static final String STREAM = FaultRun.stream("dead-letter-race");
    /** Two consumers; the second reclaims after 2 s, and a reclaimed entry is past the limit of one delivery. */
    private static final Map<String, String> ENV = Map.of("BROKER_STREAM", STREAM,
            "BROKER_PARTITIONS", "1", "BROKER_CONSUMERS", "2",
            "BROKER_RECLAIM_IDLE_SECONDS", "2", "BROKER_MAX_DELIVERIES", "1", "BROKER_MAINTENANCE_SECONDS", "1");

    private static String instance;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        instance = Instances.start(INSTANCE, ENV);
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    @Test
    void anEntryBeingCommittedIsNotDeadLetteredToo() throws Exception {
        String topic = Api.freshTopic("dead-letter-race");
        Ledger ledger = new Ledger();
        try (AutoCloseable commitsBlocked = ItDatabase.blockBrokerCommits()) {
            assertEquals(202, ledger.publish(instance, Api.batch(IntStream.range(0, EVENTS)
                    .mapToObj(n -> Api.event(topic, "e" + n)).toArray(JsonObject[]::new)), true).status());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ItDatabase.waitingFor("INSERT INTO broker_receipts") >= 1);
            // The other consumer reclaims the entry past its delivery limit while the first one's commit waits.
            await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetteredIds().isEmpty()
                    || ItDatabase.waitingFor("INSERT INTO broker_receipts") >= 2);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ItRedis.unacknowledged(ItRedis.url(), STREAM) == 0);

        List<String> dead = deadLetteredIds();
        long[] rows = ItDatabase.rows(topic);
        long stored = rows[1];
        // A dead letter leaves an acknowledged id unstored by design, so unique falls short of the ledger by the dead
        // letters; the other counters must match the ledger, and unique the rows.
        Ledger.Check check = ledger.check(topic, Ledger.Counters.at(instance, topic), rows);
        long drift = Math.abs(check.duplicateDrift()) + Math.abs(check.conflictDrift())
                + Math.abs(check.uniqueVsRows());
        long storedAndDead = dead.stream().filter(id -> ItDatabase.count(
                "SELECT count(*) FROM events WHERE topic = '" + topic + "' AND event_id = ?", id) > 0).count();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sent and acknowledged", ledger.acknowledgedEvents(topic));
        figures.put("stored", stored);
        figures.put("dead-lettered", dead.size());
        figures.put("both stored and dead-lettered", storedAndDead);
        figures.put("counter drift", drift);
        Verdicts.record("dead-letter race", "postgres", figures);
        assertEquals(0, storedAndDead, "events both stored and dead-lettered; dead letters " + dead);
        assertEquals(EVENTS, stored + dead.size(), "every event is stored or dead-lettered");
        // The instance's stream is this test's own, so its dead_lettered counts this test's dead letters only.
        JsonObject stats = Api.getFrom(instance, "/stats?topic=" + Api.encode(topic)).json();
        assertEquals(dead.size(), stats.getJsonNumber("dead_lettered").longValue(), "dead_lettered: " + stats);
        assertEquals(0, drift, check.toString());
        assertEquals(EVENTS, ledger.distinct(topic));
    }

    /** The event ids of this test's dead-letter stream. */
    private static List<String> deadLetteredIds() {
        List<String> ids = new ArrayList<>();
        try (RedisClient redis = RedisClient.create(URI.create(ItRedis.url()))) {
            String dead = ItRedis.partition(STREAM, 0) + ":dead";
            for (StreamEntry entry : redis.xrange(dead, (StreamEntryID) null, (StreamEntryID) null)) {
                JsonArray events = Json.createReader(new StringReader(entry.getFields().get("events"))).readArray();
                for (JsonValue event : events) {
                    ids.add(event.asJsonArray().getString(1));
                }
            }
        }
        return ids;
    }
}
