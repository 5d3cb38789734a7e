package it.org.libertyevents.aggregator.support;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamPendingSummary;

import java.net.URI;

/** Looks into the Redis the broker-enabled test servers use, to check what the broker holds. */
public final class ItRedis {

    private ItRedis() {
    }

    public static String url() {
        return System.getProperty("it.redis.url");
    }

    /** The stream the build's PostgreSQL test server consumes. */
    public static String stream() {
        return System.getProperty("it.broker.stream");
    }

    /** Entries of {@code stream} delivered to a consumer of group "aggregator" and not acknowledged. */
    public static long unacknowledged(String redisUrl, String stream) {
        try (RedisClient redis = RedisClient.create(URI.create(redisUrl))) {
            if (!redis.exists(stream)) {
                return 0;
            }
            StreamPendingSummary summary = redis.xpending(stream, "aggregator");
            return summary.getTotal();
        }
    }
}
