package org.libertyevents.aggregator.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The Redis Streams broker behind asynchronous publish ({@code Prefer: respond-async}).
 *
 * @param url              the Redis to use, {@code redis://[user:password@]host:port[/db]} ({@code rediss://} for
 *                         TLS); empty means no broker, and every publish is synchronous, unless a Redis Cluster
 *                         is configured ({@link BrokerTopology}), which takes its user, password and TLS from it
 * @param stream           the name the broker's partitions are named after ({@code {<stream>:<p>}}), with their
 *                         backlog counters and dead-letter streams
 * @param group            the consumer group every instance joins
 * @param consumerName     this process's name in the group; its consumer tasks append {@code -1}, {@code -2}, ...
 * @param consumers        consumer tasks per instance
 * @param readEntries      entries one read takes at most
 * @param block            how long a read waits for new entries
 * @param entryMaxEvents   events one stream entry holds at most; a larger request becomes several entries,
 *                         appended atomically
 * @param maxBacklogEvents events waiting in the broker above which asynchronous publish answers 503 (0: no limit)
 * @param reclaimIdle      how long an entry may stay unacknowledged with its consumer before another one takes it
 * @param maxDeliveries    deliveries after which a reclaimed entry goes to the dead-letter stream
 * @param timeout          connect and read timeout of one Redis call
 * @param poolMax          Redis connections per instance at most
 * @param maintenanceEvery how often each instance trims acknowledged entries and refreshes the broker gauges
 */
public record BrokerSettings(Optional<String> url, String stream, String group, String consumerName, int consumers,
                             int readEntries, Duration block, int entryMaxEvents, long maxBacklogEvents,
                             Duration reclaimIdle, int maxDeliveries, Duration timeout, int poolMax,
                             Duration maintenanceEvery) {

    public BrokerSettings {
        if (consumers < 1 || readEntries < 1 || entryMaxEvents < 1 || maxBacklogEvents < 0 || maxDeliveries < 1
                || poolMax < consumers + 1) {
            throw new IllegalArgumentException("invalid broker settings: consumers, read entries, entry events and "
                    + "deliveries must be positive, the backlog limit not negative, and the pool larger than the "
                    + "consumers (got " + consumers + ", " + readEntries + ", " + entryMaxEvents + ", " + maxDeliveries
                    + ", " + maxBacklogEvents + ", " + poolMax + ")");
        }
        if (stream.isBlank() || group.isBlank() || consumerName.isBlank()) {
            throw new IllegalArgumentException("broker stream, group and consumer name must not be blank");
        }
    }

    /**
     * The Redis URL as a URI; an unparsable one is refused without repeating it, since it may hold a password.
     */
    public Optional<URI> uri() {
        try {
            return url.map(URI::create);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("REDIS_URL is not a valid URI (redis://[user:password@]host:port[/db])");
        }
    }

    /** Never the password of the Redis URL: settings end up in logs and exception messages. */
    @Override
    public String toString() {
        return "BrokerSettings[url=" + url.map(BrokerSettings::redact).orElse("none") + ", stream=" + stream
                + ", group=" + group + ", consumer=" + consumerName + ", consumers=" + consumers + "]";
    }

    /** The URL with any user information replaced, for logs. */
    static String redact(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + "***@" + url.substring(at + 1) : url;
    }

    /** The name of consumer task {@code index} (from 1). */
    public String consumer(int index) {
        return consumerName + "-" + index;
    }
}
