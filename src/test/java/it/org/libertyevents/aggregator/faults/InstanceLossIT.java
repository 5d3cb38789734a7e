package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.ItRedis;
import it.org.libertyevents.aggregator.support.RetryingClients;
import it.org.libertyevents.aggregator.support.Verdicts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances share a consumer group; one is killed for good (kill -9, no restart) while its consumers hold
 * delivered, unacknowledged entries. The survivor reclaims them, the producers fail over to it, and every event is
 * stored exactly once.
 */
@MicroShedTest
class InstanceLossIT {

    private static final int LOST = 7;
    private static final int SURVIVOR = 8;
    private static final String STREAM = FaultRun.stream("instance-loss");
    private static String lost;
    private static String survivor;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        lost = Instances.start(LOST, Map.of("BROKER_STREAM", STREAM));
        survivor = Instances.start(SURVIVOR, Map.of("BROKER_STREAM", STREAM));
    }

    @AfterAll
    static void stop() {
        Instances.stop(SURVIVOR);
        Instances.stop(LOST);
    }

    @Test
    void theSurvivorTakesOverTheLostInstancesEntries() throws Exception {
        RetryingClients async = FaultRun.producers(List.of(lost, survivor), "loss", true);
        RetryingClients sync = FaultRun.producers(List.of(lost, survivor), "loss", false);
        RetryingClients.Running asyncRun = async.start(2, FaultRun.DEADLINE);
        RetryingClients.Running syncRun = sync.start(2, FaultRun.DEADLINE);

        FaultRun.awaitShare(async, 0.3);
        // Consumers' commits wait on this lock, so the lost instance surely dies holding delivered entries.
        try (AutoCloseable commitsBlocked = ItDatabase.blockBrokerCommits()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ItRedis.unacknowledged(ItRedis.url(), STREAM) > 0);
            Instances.kill(LOST);
        }

        asyncRun.await();
        syncRun.await();
        Api.awaitDrained(survivor, Duration.ofSeconds(180));
        String metrics = Api.text(survivor, "/metrics");
        assertTrue(metrics.matches("(?s).*aggregator_broker_reclaimed_total(\\{[^}]*})? [1-9].*"),
                "the survivor took over the lost instance's entries");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("failed attempts", async.failures() + " async, " + sync.failures() + " sync");
        extra.put("reclaimed by the survivor", "yes");
        Verdicts.exactlyOnce("instance loss (1 of 2 killed for good)", List.of(async, sync),
                List.of(ItDatabase.rows(async.topic()), ItDatabase.rows(sync.topic())), extra);
    }
}
