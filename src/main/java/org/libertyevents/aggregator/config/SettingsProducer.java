package org.libertyevents.aggregator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the application's settings from MicroProfile Config. The settings are records (final, so not proxyable):
 * they are produced per injection point, which happens once per application-scoped bean. Each property can be set by an
 * environment variable of the same name in upper case with dots and dashes as underscores
 * ({@code ingest.queue.capacity} is {@code INGEST_QUEUE_CAPACITY}); the README lists them all.
 */
@ApplicationScoped
public class SettingsProducer {

    @Produces
    PublishLimits publishLimits(
            @ConfigProperty(name = "publish.max.body.bytes", defaultValue = "10485760") long maxBodyBytes,
            @ConfigProperty(name = "publish.max.batch.events", defaultValue = "10000") int maxBatchEvents,
            @ConfigProperty(name = "publish.max.payload.bytes", defaultValue = "65536") int maxPayloadBytes,
            @ConfigProperty(name = "publish.max.payload.depth", defaultValue = "32") int maxPayloadDepth) {
        return new PublishLimits(maxBodyBytes, maxBatchEvents, maxPayloadBytes, maxPayloadDepth, 255, 100);
    }

    @Produces
    IngestSettings ingestSettings(
            @ConfigProperty(name = "ingest.queue.capacity", defaultValue = "100000") int queueCapacity,
            @ConfigProperty(name = "ingest.queue.max.bytes", defaultValue = "67108864") long queueMaxBytes,
            @ConfigProperty(name = "ingest.max.group.events", defaultValue = "2000") int maxGroupEvents,
            @ConfigProperty(name = "ingest.writers", defaultValue = "1") int writers,
            @ConfigProperty(name = "publish.timeout.seconds", defaultValue = "30") long publishTimeoutSeconds,
            @ConfigProperty(name = "ingest.retry.after.seconds", defaultValue = "1") long retryAfterSeconds,
            @ConfigProperty(name = "ingest.drain.timeout.seconds", defaultValue = "30") long drainTimeoutSeconds,
            @ConfigProperty(name = "ingest.stall.timeout.seconds", defaultValue = "120") long stallTimeoutSeconds) {
        return new IngestSettings(queueCapacity, queueMaxBytes, maxGroupEvents, writers,
                Duration.ofSeconds(publishTimeoutSeconds), Duration.ofSeconds(retryAfterSeconds),
                Duration.ofSeconds(drainTimeoutSeconds), Duration.ofSeconds(stallTimeoutSeconds));
    }

    @Produces
    ReadSettings readSettings(
            @ConfigProperty(name = "events.page.max.bytes", defaultValue = "4194304") long pageMaxBytes,
            @ConfigProperty(name = "db.read.timeout.seconds", defaultValue = "10") long readTimeoutSeconds) {
        return new ReadSettings(pageMaxBytes, Duration.ofSeconds(readTimeoutSeconds));
    }

    @Produces
    BrokerSettings brokerSettings(
            @ConfigProperty(name = "redis.url") Optional<String> url,
            @ConfigProperty(name = "broker.stream", defaultValue = "aggregator-events") String stream,
            @ConfigProperty(name = "broker.group", defaultValue = "aggregator") String group,
            @ConfigProperty(name = "broker.consumer.name") Optional<String> consumerName,
            @ConfigProperty(name = "broker.consumers", defaultValue = "2") int consumers,
            @ConfigProperty(name = "broker.read.entries", defaultValue = "16") int readEntries,
            @ConfigProperty(name = "broker.read.block.millis", defaultValue = "2000") long blockMillis,
            @ConfigProperty(name = "broker.entry.max.events", defaultValue = "500") int entryMaxEvents,
            @ConfigProperty(name = "broker.max.backlog.events", defaultValue = "5000000") long maxBacklogEvents,
            @ConfigProperty(name = "broker.reclaim.idle.seconds", defaultValue = "30") long reclaimIdleSeconds,
            @ConfigProperty(name = "broker.max.deliveries", defaultValue = "10") int maxDeliveries,
            @ConfigProperty(name = "broker.timeout.millis", defaultValue = "2000") long timeoutMillis,
            @ConfigProperty(name = "broker.pool.max", defaultValue = "32") int poolMax,
            @ConfigProperty(name = "broker.maintenance.seconds", defaultValue = "5") long maintenanceSeconds) {
        return new BrokerSettings(url.map(String::strip).filter(u -> !u.isEmpty()), stream, group,
                consumerName.orElseGet(SettingsProducer::processName), consumers, readEntries,
                Duration.ofMillis(blockMillis), entryMaxEvents, maxBacklogEvents, Duration.ofSeconds(reclaimIdleSeconds),
                maxDeliveries, Duration.ofMillis(timeoutMillis), poolMax, Duration.ofSeconds(maintenanceSeconds));
    }

    @Produces
    BrokerBounds brokerBounds(
            @ConfigProperty(name = "broker.max.backlog.bytes", defaultValue = "268435456") long maxBacklogBytes,
            @ConfigProperty(name = "broker.dead.letter.max.entries", defaultValue = "100000") long deadLetterMax) {
        return new BrokerBounds(maxBacklogBytes, deadLetterMax);
    }

    @Produces
    BrokerTopology brokerTopology(
            @ConfigProperty(name = "broker.partitions", defaultValue = "16") int partitions,
            @ConfigProperty(name = "redis.cluster.nodes") Optional<String> clusterNodes,
            @ConfigProperty(name = "broker.min.replicas") Optional<Integer> minReplicas,
            @ConfigProperty(name = "broker.replica.wait.millis", defaultValue = "1000") long replicaWaitMillis) {
        List<String> nodes = clusterNodes.stream().flatMap(list -> Arrays.stream(list.split(",")))
                .map(String::strip).filter(node -> !node.isEmpty()).toList();
        // A cluster's masters have replicas to fail over to: a 202 waits for one by default.
        return new BrokerTopology(partitions, nodes, minReplicas.orElse(nodes.isEmpty() ? 0 : 1),
                Duration.ofMillis(replicaWaitMillis));
    }

    @Produces
    RetentionSettings retentionSettings(
            @ConfigProperty(name = "events.retention") Optional<String> payloads,
            @ConfigProperty(name = "dedup.retention") Optional<String> keys,
            @ConfigProperty(name = "retention.interval", defaultValue = "PT1M") String interval) {
        return new RetentionSettings(duration(payloads), duration(keys), Duration.parse(interval.strip()));
    }

    @Produces
    WaitSettings waitSettings(
            @ConfigProperty(name = "events.wait.max", defaultValue = "PT60S") String max,
            @ConfigProperty(name = "events.waiters.max", defaultValue = "500") int waiters,
            @ConfigProperty(name = "events.wait.poll", defaultValue = "PT0.2S") String poll) {
        return new WaitSettings(Duration.parse(max.strip()), waiters, Duration.parse(poll.strip()));
    }

    @Produces
    SubscriptionSettings subscriptionSettings(
            @ConfigProperty(name = "subscriptions.allow.private.targets", defaultValue = "false") boolean allowPrivate,
            @ConfigProperty(name = "subscriptions.max", defaultValue = "1000") int max,
            @ConfigProperty(name = "subscriptions.timeout", defaultValue = "PT10S") String timeout,
            @ConfigProperty(name = "subscriptions.retry.min", defaultValue = "PT5S") String retryMin,
            @ConfigProperty(name = "subscriptions.retry.max", defaultValue = "PT1H") String retryMax,
            @ConfigProperty(name = "subscriptions.retry.horizon", defaultValue = "P3D") String retryHorizon,
            @ConfigProperty(name = "subscriptions.lease", defaultValue = "PT30S") String lease,
            @ConfigProperty(name = "subscriptions.secret.overlap", defaultValue = "PT24H") String overlap) {
        return new SubscriptionSettings(allowPrivate, max, Duration.parse(timeout.strip()),
                Duration.parse(retryMin.strip()), Duration.parse(retryMax.strip()),
                Duration.parse(retryHorizon.strip()), Duration.parse(lease.strip()), Duration.parse(overlap.strip()));
    }

    @Produces
    StreamSettings streamSettings(
            @ConfigProperty(name = "events.streams.max", defaultValue = "1000") int max,
            @ConfigProperty(name = "events.stream.heartbeat", defaultValue = "PT15S") String heartbeat) {
        return new StreamSettings(max, Duration.parse(heartbeat.strip()));
    }

    /** An ISO 8601 duration ({@code P30D}, {@code PT12H}); blank is none. */
    private static Optional<Duration> duration(Optional<String> text) {
        return text.map(String::strip).filter(value -> !value.isEmpty()).map(Duration::parse);
    }

    /** Host and process id: unique among running instances, so two never share a consumer name by accident. */
    private static String processName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
