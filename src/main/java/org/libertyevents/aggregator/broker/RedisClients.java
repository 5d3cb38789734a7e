package org.libertyevents.aggregator.broker;

import org.libertyevents.aggregator.config.BrokerSettings;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;

/** The pooled Redis client of a {@code REDIS_URL}, with the broker's timeouts and pool size. */
final class RedisClients {

    private RedisClients() {
    }

    static RedisClient pooled(URI uri, BrokerSettings settings) {
        if (!JedisURIHelper.isValid(uri)) {
            throw new IllegalArgumentException("REDIS_URL must look like redis://host:port, got " + uri.getScheme()
                    + "://" + uri.getHost());
        }
        int timeout = Math.toIntExact(settings.timeout().toMillis());
        var client = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                // A blocked read waits up to the block time: give up only well after it.
                .blockingSocketTimeoutMillis(Math.toIntExact(settings.block().toMillis()) + timeout)
                .clientName("liberty-event-aggregator")
                .build();
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolMax());
        pool.setMaxIdle(settings.poolMax());
        pool.setMaxWait(settings.timeout());
        pool.setTestWhileIdle(true);
        return RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(uri)).clientConfig(client)
                .poolConfig(pool).build();
    }
}
