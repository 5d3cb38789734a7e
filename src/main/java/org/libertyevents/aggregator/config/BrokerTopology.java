package org.libertyevents.aggregator.config;

import java.time.Duration;
import java.util.List;

/**
 * Where the broker's streams live and how an append is made safe there.
 *
 * @param partitions   streams the broker spreads requests over, each with keys of its own under one hash tag, so
 *                     that on a Redis Cluster every script touches one slot; a request goes to one of them whole
 * @param clusterNodes seed nodes ({@code host:port}) of a Redis Cluster; empty for the standalone Redis of
 *                     {@code REDIS_URL}
 * @param minReplicas  replicas that must confirm an append ({@code WAIT}) before it is answered 202
 * @param replicaWait  how long an append waits for them; unconfirmed by then, it is answered 503
 */
public record BrokerTopology(int partitions, List<String> clusterNodes, int minReplicas, Duration replicaWait) {

    public BrokerTopology {
        if (partitions < 1 || partitions > 1024 || minReplicas < 0 || replicaWait.isNegative()) {
            throw new IllegalArgumentException("BROKER_PARTITIONS must be 1 to 1024 and BROKER_MIN_REPLICAS and "
                    + "BROKER_REPLICA_WAIT_MILLIS not negative (got " + partitions + ", " + minReplicas + ", "
                    + replicaWait.toMillis() + ")");
        }
        for (String node : clusterNodes) {
            int colon = node.lastIndexOf(':');
            if (colon <= 0 || !node.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("REDIS_CLUSTER_NODES must list host:port, got " + node);
            }
        }
        clusterNodes = List.copyOf(clusterNodes);
    }

    /** True when the broker runs on a Redis Cluster. */
    public boolean cluster() {
        return !clusterNodes.isEmpty();
    }
}
