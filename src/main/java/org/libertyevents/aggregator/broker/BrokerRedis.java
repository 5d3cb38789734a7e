package org.libertyevents.aggregator.broker;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.config.BrokerSettings;
import org.libertyevents.aggregator.config.BrokerTopology;
import redis.clients.jedis.UnifiedJedis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * The broker's Redis, standalone or a cluster ({@link RedisClients}), and its partitions: {@code BROKER_PARTITIONS}
 * streams, each with keys of its own under one hash tag ({@link StreamKeys}). A request goes whole to one partition:
 * the one its Idempotency-Key names (so that a retry finds the key's marker there), else any.
 */
@ApplicationScoped
public class BrokerRedis {

    @Inject
    private BrokerSettings settings;

    @Inject
    private BrokerTopology topology;

    private UnifiedJedis redis;
    private List<StreamKeys> partitions;
    private StreamKeys unpartitioned;

    @PostConstruct
    void connect() {
        partitions = IntStream.range(0, topology.partitions())
                .mapToObj(p -> StreamKeys.partition(settings.stream(), p)).toList();
        unpartitioned = StreamKeys.of(settings.stream());
        redis = RedisClients.create(settings, topology).orElse(null);
    }

    @PreDestroy
    void close() {
        if (redis != null) {
            redis.close();
        }
    }

    /** True when a Redis or a Redis Cluster is configured. */
    public boolean enabled() {
        return redis != null;
    }

    /** What readiness shows: the stream name and where it lives. */
    public String describe() {
        return settings.stream() + " (" + partitions.size() + " partitions"
                + (topology.cluster() ? " on a Redis Cluster)" : ")");
    }

    /** Answers PING, or throws. */
    public void ping() {
        redis.ping();
    }

    UnifiedJedis client() {
        return redis;
    }

    BrokerTopology topology() {
        return topology;
    }

    /** The partition a request goes to. */
    StreamKeys partitionFor(AppendKey key) {
        int index = key == null ? ThreadLocalRandom.current().nextInt(partitions.size())
                : Math.floorMod(key.key().hashCode(), partitions.size());
        return partitions.get(index);
    }

    /**
     * The streams to consume and maintain: the partitions, and the stream of a version without partitions while it
     * still exists, so that what it accepted is drained.
     */
    List<StreamKeys> consumed() {
        if (!redis.exists(unpartitioned.stream())) {
            return partitions;
        }
        List<StreamKeys> all = new ArrayList<>(partitions);
        all.add(unpartitioned);
        return all;
    }

    /**
     * The partitions in groups one multi-stream read may cover: all together on a standalone Redis, each alone on a
     * cluster, where the keys of one command must share a slot.
     */
    List<List<StreamKeys>> readGroups(List<StreamKeys> consumed) {
        return topology.cluster() ? consumed.stream().map(List::of).toList() : List.of(consumed);
    }
}
