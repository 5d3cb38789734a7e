package org.libertyevents.aggregator.broker;

import org.libertyevents.aggregator.config.BrokerSettings;
import org.libertyevents.aggregator.config.BrokerTopology;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The pooled Redis client of the broker, with its timeouts and pool size: Jedis's cluster client on the seed nodes
 * of {@code REDIS_CLUSTER_NODES} (user, password and TLS from {@code REDIS_URL} when it is set too), else the
 * standalone client of {@code REDIS_URL}. Both are a {@link UnifiedJedis}, so the same code serves both.
 */
final class RedisClients {

    /** How often the cluster client re-reads the slot map on its own, besides after every redirection. */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(2);

    private RedisClients() {
    }

    /** The client, or empty when neither {@code REDIS_URL} nor {@code REDIS_CLUSTER_NODES} is set. */
    static Optional<UnifiedJedis> create(BrokerSettings settings, BrokerTopology topology) {
        Optional<URI> uri = settings.uri();
        uri.ifPresent(RedisClients::check);
        DefaultJedisClientConfig client = clientConfig(uri, settings);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolMax());
        pool.setMaxIdle(settings.poolMax());
        pool.setMaxWait(settings.timeout());
        pool.setTestWhileIdle(true);
        if (topology.cluster()) {
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            topology.clusterNodes().forEach(node -> nodes.add(HostAndPort.from(node)));
            return Optional.of(RedisClusterClient.builder().nodes(nodes).clientConfig(client).poolConfig(pool)
                    .topologyRefreshPeriod(TOPOLOGY_REFRESH).build());
        }
        return uri.map(u -> RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(u)).clientConfig(client)
                .poolConfig(pool).build());
    }

    private static void check(URI uri) {
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("REDIS_URL must look like redis://host:port, got " + uri.getScheme()
                    + "://" + uri.getHost());
        }
    }

    private static DefaultJedisClientConfig clientConfig(Optional<URI> uri, BrokerSettings settings) {
        int timeout = Math.toIntExact(settings.timeout().toMillis());
        var client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                // A blocked read waits up to the block time: give up only well after it.
                .blockingSocketTimeoutMillis(Math.toIntExact(settings.block().toMillis()) + timeout)
                .clientName("liberty-event-aggregator");
        uri.ifPresent(u -> client.user(JedisURIHelper.getUser(u)).password(JedisURIHelper.getPassword(u))
                .database(JedisURIHelper.getDBIndex(u)).ssl(JedisURIHelper.isRedisSSLScheme(u)));
        return client.build();
    }
}
