package it.org.libertyevents.aggregator.faults;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.ItRedis;
import it.org.libertyevents.aggregator.support.OwnRedisCluster;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.RetryingClients;
import it.org.libertyevents.aggregator.support.Verdicts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.microshed.testing.jupiter.MicroShedTest;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker on a Redis Cluster of the test's own ({@link OwnRedisCluster}: three masters, a replica each), two
 * instances consuming one stream of {@code BROKER_PARTITIONS} (16) partitions, asynchronous producers sending 20%
 * true duplicates to both. First the cluster moves slots under load ({@code redis-cli --cluster reshard}): no
 * publish may fail. Then a master is killed with SIGKILL mid-run: its replica takes over, and what got 202 (each
 * confirmed by a replica, {@code BROKER_MIN_REPLICAS} 1) is stored once, with the counters exact against the
 * producers' ledger. The killed node comes back as a replica of its successor; until then its successor has no
 * replica to confirm appends, so they get 503 and are retried.
 */
@MicroShedTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static final int FIRST_INSTANCE = 26;
    private static final int BASE_PORT = 7101;
    private static final String STREAM = FaultRun.stream("redis-cluster");
    /** {@code BROKER_PARTITIONS}' default. */
    private static final int PARTITIONS = 16;
    private static OwnRedisCluster cluster;
    private static List<String> instances;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        cluster = OwnRedisCluster.start(BASE_PORT);
        Map<String, String> env = Map.of("REDIS_CLUSTER_NODES", cluster.seeds(), "BROKER_STREAM", STREAM);
        instances = List.of(Instances.start(FIRST_INSTANCE, env), Instances.start(FIRST_INSTANCE + 1, env));
    }

    @AfterAll
    static void stop() {
        Instances.stop(FIRST_INSTANCE);
        Instances.stop(FIRST_INSTANCE + 1);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void slotsMovedUnderLoadFailNoPublish() throws Exception {
        RetryingClients async = FaultRun.producers(instances, "redis-cluster-reshard", true);
        RetryingClients.Running run = async.start(2, FaultRun.DEADLINE);
        FaultRun.awaitShare(async, 0.2);
        List<Integer> masters = cluster.masters();
        long started = System.nanoTime();
        cluster.reshard(masters.get(0), masters.get(1), 2000);
        Duration resharding = Duration.ofNanos(System.nanoTime() - started);
        run.await();
        drained();

        assertEquals(Map.of(), async.failures(), "no publish failed while slots moved");
        assertOnTheCluster();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("slots moved", 2000);
        extra.put("resharding (ms)", resharding.toMillis());
        Verdicts.exactlyOnce("Redis Cluster: 2,000 slots moved under async load", List.of(async),
                List.of(ItDatabase.rows(async.topic())), extra);
    }

    @Test
    @Order(2)
    void aKilledMasterLosesNothingAcknowledged() throws Exception {
        RetryingClients async = FaultRun.producers(instances, "redis-cluster-failover", true);
        RetryingClients.Running run = async.start(2, FaultRun.DEADLINE);
        FaultRun.awaitShare(async, 0.3);
        int victim = cluster.masters().get(0);
        cluster.kill(victim);
        long killedAt = System.nanoTime();
        await("a replica promoted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.masters().size() == 3 && !cluster.masters().contains(victim));
        Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
        long acknowledgedAtFailover = async.acknowledged();
        cluster.restart(victim);
        cluster.awaitHealthy();
        run.await();
        drained();

        assertTrue(async.acknowledged() > acknowledgedAtFailover, "publishing went on after the failover");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("failover (ms)", failover.toMillis());
        extra.put("failed attempts", async.failures());
        Verdicts.exactlyOnce("Redis Cluster: a master killed under async load", List.of(async),
                List.of(ItDatabase.rows(async.topic())), extra);
    }

    /**
     * An append whose node answers nothing within the broker's read timeout ({@code BROKER_TIMEOUT_MILLIS}, 2 s) has
     * an unknown outcome: Jedis's cluster pipeline logs the broken connection and leaves the reply unset. It is a 503
     * (publish again), never a 500, and the retry takes effect once.
     */
    @Test
    @Order(3)
    void anAppendTheNodeNeverAnsweredIsA503AndItsRetryCountsOnce() {
        cluster.awaitHealthy();
        String topic = Api.freshTopic("redis-cluster-unanswered");
        String event = Api.event(topic, "unanswered-1").toString();
        // Every master: the request goes to a partition of its own choosing.
        cluster.masters().forEach(port -> cluster.pauseWrites(port, Duration.ofMillis(3500)));
        Reply refused = Api.publishTo(instances.get(0), event, true);
        assertEquals(503, refused.status(), "an append without an answer: " + refused.body());

        await("the retry accepted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> Api.publishTo(instances.get(0), event, true).status() == 202);
        drained();
        assertArrayEquals(new long[] {1, 1}, ItDatabase.rows(topic), "stored once");
    }

    /** Every partition's stream is on the cluster, and nothing of the stream on the shared Redis of the suite. */
    private static void assertOnTheCluster() {
        for (int p = 0; p < PARTITIONS; p++) {
            assertTrue(cluster.exists(ItRedis.partition(STREAM, p)), "partition " + p + " is on the cluster");
        }
        try (RedisClient shared = RedisClient.create(URI.create(ItRedis.url()))) {
            assertEquals(List.of(), ItRedis.partitions(ItRedis.url(), STREAM), "nothing on the suite's Redis");
            assertFalse(shared.exists(STREAM), "nothing on the suite's Redis");
        }
    }

    private static void drained() {
        instances.forEach(base -> Api.awaitDrained(base, Duration.ofSeconds(120)));
    }
}
