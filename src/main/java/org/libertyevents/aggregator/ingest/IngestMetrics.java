package org.libertyevents.aggregator.ingest;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.Verdict;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline's MicroProfile Metrics, scraped by Prometheus at {@code /metrics}. Per-topic series are kept for
 * the first {@code metrics.topic.series.max} topics seen; later topics are counted under {@code topic="_other"},
 * so a producer inventing topics cannot grow the scrape without bound. Metrics are looked up once and kept, since
 * they are updated on every request.
 */
@ApplicationScoped
public class IngestMetrics {

    static final String OTHER_TOPICS = "_other";

    @Inject
    private MetricRegistry registry;

    @Inject
    @ConfigProperty(name = "metrics.topic.series.max", defaultValue = "100")
    private int maxTopicSeries;

    private Counter received;
    private Counter rejected;
    private Counter failed;
    private Counter stored;
    private Counter duplicates;
    private Counter conflicts;
    private Timer commitLatency;
    private Histogram groupSize;
    private Timer publishLatency;
    /** Per topic series: index 0 stored, 1 duplicates (conflicts included), 2 conflicts. */
    private final Map<String, Counter[]> topicCounters = new ConcurrentHashMap<>();

    @PostConstruct
    void register() {
        received = counter("aggregator.events.received", "Events accepted by POST /publish");
        rejected = counter("aggregator.events.rejected", "Events refused because the ingest queue was full");
        failed = counter("aggregator.events.failed", "Events whose transaction did not commit");
        stored = counter("aggregator.events.stored", "Events stored for the first time");
        duplicates = counter("aggregator.events.duplicate",
                "Events dropped as repeats of a stored key, identical or conflicting (as duplicate_dropped)");
        conflicts = counter("aggregator.events.conflict",
                "Of the duplicates, those whose payload differed from the stored one (as conflict_dropped)");
        commitLatency = registry.timer(Metadata.builder().withName("aggregator.commit.latency")
                .withDescription("Time to store one group of events and commit it").build());
        groupSize = registry.histogram(Metadata.builder().withName("aggregator.commit.group.size")
                .withDescription("Events per group commit").build());
        publishLatency = registry.timer(Metadata.builder().withName("aggregator.publish.latency")
                .withDescription("Time from receiving a publish request to answering it").build());
    }

    private Counter counter(String name, String description, Tag... tags) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build(), tags);
    }

    /** Counts events this instance accepted, whichever way they go on to the database. */
    public void received(int events) {
        received.inc(events);
    }

    void rejected(int events) {
        rejected.inc(events);
    }

    void failed(int events) {
        failed.inc(events);
    }

    void committed(List<Event> events, List<Verdict> verdicts, long nanos) {
        Map<String, long[]> perTopic = new HashMap<>();
        long[] totals = new long[Verdict.values().length];
        for (int i = 0; i < events.size(); i++) {
            int kind = verdicts.get(i).ordinal();
            totals[kind]++;
            perTopic.computeIfAbsent(events.get(i).topic(), t -> new long[totals.length])[kind]++;
        }
        increment(new Counter[] {stored, duplicates, conflicts}, totals);
        perTopic.forEach((topic, counts) -> increment(topicSeries(topic), counts));
        commitLatency.update(Duration.ofNanos(nanos));
        groupSize.update(events.size());
    }

    /** Adds verdict counts to stored, duplicate and conflict counters: a conflict is a duplicate too. */
    private static void increment(Counter[] series, long[] counts) {
        long conflicts = counts[Verdict.CONFLICT.ordinal()];
        series[0].inc(counts[Verdict.STORED.ordinal()]);
        series[1].inc(counts[Verdict.DUPLICATE.ordinal()] + conflicts);
        series[2].inc(conflicts);
    }

    private Counter[] topicSeries(String topic) {
        Counter[] series = topicCounters.get(topic);
        if (series != null) {
            return series;
        }
        synchronized (topicCounters) {
            String name = topicCounters.size() < maxTopicSeries ? topic : OTHER_TOPICS;
            Tag tag = new Tag("topic", name);
            series = new Counter[] {
                counter("aggregator.topic.events.stored", "Events stored, per topic", tag),
                counter("aggregator.topic.events.duplicate", "Repeats dropped, identical or conflicting, per topic",
                        tag),
                counter("aggregator.topic.events.conflict", "Of the duplicates, the conflicting ones, per topic", tag)};
            // Topics past the limit share the "_other" series but are not remembered, so the map stays bounded.
            if (name.equals(topic)) {
                topicCounters.put(topic, series);
            }
            return series;
        }
    }

    /**
     * What this instance counted since it started: a few counter reads, for sampling (the throughput history),
     * never per event.
     */
    public Totals totals() {
        return new Totals(received.getCount(), stored.getCount(), duplicates.getCount(), conflicts.getCount(),
                rejected.getCount());
    }

    /**
     * This instance's event counts since it started.
     *
     * @param duplicates the repeats dropped with the payload stored ({@link Verdict#DUPLICATE})
     * @param conflicts  the repeats dropped with another payload ({@link Verdict#CONFLICT})
     * @param rejected   the events refused because the ingest queue was full
     */
    public record Totals(long received, long stored, long duplicates, long conflicts, long rejected) {
    }

    /** Time from receiving a publish request to answering it. */
    public Timer publishTimer() {
        return publishLatency;
    }

    void registerPipelineGauges(IngestPipeline pipeline) {
        registry.gauge(Metadata.builder().withName("aggregator.ingest.pending")
                .withDescription("Events accepted and not yet committed").withUnit(MetricUnits.NONE).build(),
                pipeline, IngestPipeline::pending);
        registry.gauge(Metadata.builder().withName("aggregator.ingest.capacity")
                .withDescription("Events the ingest queue holds at most").withUnit(MetricUnits.NONE).build(),
                pipeline, IngestPipeline::capacity);
    }
}
