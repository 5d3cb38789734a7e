package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
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

/**
 * kill -9 of the instance that takes every request, in the middle of a run of synchronous and asynchronous
 * producers that retry until acknowledged, then a restart: every acknowledged event (200 or 202) is stored exactly
 * once, nothing is stored twice, the counters agree with the producers' ledger and {@code pending} drains to 0.
 */
@MicroShedTest
class ServerCrashIT {

    private static final int INSTANCE = 5;
    private static final Map<String, String> ENV = Map.of("BROKER_STREAM", FaultRun.stream("crash"));
    private static String victim;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        victim = Instances.start(INSTANCE, ENV);
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    @Test
    void everyAcknowledgedEventIsStoredExactlyOnceAfterAKill() throws Exception {
        RetryingClients sync = FaultRun.producers(List.of(victim), "crash", false);
        RetryingClients async = FaultRun.producers(List.of(victim), "crash", true);
        RetryingClients.Running syncRun = sync.start(2, FaultRun.DEADLINE);
        RetryingClients.Running asyncRun = async.start(2, FaultRun.DEADLINE);

        FaultRun.awaitShare(sync, 0.3);
        Instances.kill(INSTANCE);
        long killedAt = System.nanoTime();
        Instances.start(INSTANCE, ENV);
        Duration down = Duration.ofNanos(System.nanoTime() - killedAt);

        syncRun.await();
        asyncRun.await();
        Api.awaitDrained(victim, Duration.ofSeconds(180));
        String topicOfSync = sync.topic();
        String topicOfAsync = async.topic();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("down (s)", down.toSeconds());
        extra.put("failed attempts", sync.failures() + " sync, " + async.failures() + " async");
        Verdicts.exactlyOnce("server crash (kill -9 mid-run, sync + async)", List.of(sync, async),
                List.of(ItDatabase.rows(topicOfSync), ItDatabase.rows(topicOfAsync)), extra);
    }
}
