package it.org.libertyevents.aggregator.support;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks into the Redis the broker-enabled test servers use, to check what the broker holds. A broker stream
 * {@code s} is partitioned: partition {@code p} is the stream <code>{s:p}</code>, with its keys named after it.
 */
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

    /** The stream of partition {@code p} of the broker stream {@code stream}. */
    public static String partition(String stream, int p) {
        return "{" + stream + ":" + p + "}";
    }

    /** The partition streams of {@code stream} that exist in the Redis at {@code redisUrl}. */
    public static List<String> partitions(String redisUrl, String stream) {
        try (RedisClient redis = RedisClient.create(URI.create(redisUrl))) {
            List<String> found = new ArrayList<>();
            ScanParams params = new ScanParams().match("{" + stream + ":*}").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, params, "stream");
                // The dead-letter streams {s:p}:dead match too.
                page.getResult().stream().filter(name -> name.endsWith("}")).forEach(found::add);
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            return found;
        }
    }

    /** Entries of {@code stream}'s partitions delivered to a consumer of group "aggregator", not acknowledged. */
    public static long unacknowledged(String redisUrl, String stream) {
        List<String> partitions = partitions(redisUrl, stream);
        try (RedisClient redis = RedisClient.create(URI.create(redisUrl))) {
            long total = 0;
            for (String partition : partitions) {
                total += redis.xpending(partition, "aggregator").getTotal();
            }
            return total;
        }
    }
}
