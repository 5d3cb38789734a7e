package org.libertyevents.aggregator.ingest;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pipeline's MicroProfile Metrics, scraped by Prometheus at {@code /metrics}. Per-topic series are kept for
 * the first {@code metrics.topic.series.max} topics seen; later topics are counted under {@code topic="_other"},
 * so a producer inventing topics cannot grow the scrape without bound.
 */
@ApplicationScoped
public class IngestMetrics {

    static final String OTHER_TOPICS = "_other";

    @Inject
    private MetricRegistry registry;

    @Inject
    @ConfigProperty(name = "metrics.topic.series.max", defaultValue = "100")
    private int maxTopicSeries;

    private final Set<String> taggedTopics = ConcurrentHashMap.newKeySet();

    private Counter counter(String name, String description, Tag... tags) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build(), tags);
    }

    void received(int events) {
        counter("aggregator.events.received", "Events accepted by POST /publish").inc(events);
    }

    void rejected(int events) {
        counter("aggregator.events.rejected", "Events refused because the ingest queue was full").inc(events);
    }

    void failed(int events) {
        counter("aggregator.events.failed", "Events whose transaction did not commit").inc(events);
    }

    void committed(List<Event> events, List<Verdict> verdicts, long nanos) {
        Map<String, long[]> perTopic = new HashMap<>();
        long stored = 0;
        for (int i = 0; i < events.size(); i++) {
            boolean isStored = verdicts.get(i) == Verdict.STORED;
            stored += isStored ? 1 : 0;
            perTopic.computeIfAbsent(events.get(i).topic(), t -> new long[2])[isStored ? 0 : 1]++;
        }
        counter("aggregator.events.stored", "Events stored for the first time").inc(stored);
        counter("aggregator.events.duplicate", "Events dropped as duplicates").inc(events.size() - stored);
        perTopic.forEach((topic, counts) -> {
            Tag tag = new Tag("topic", seriesName(topic));
            counter("aggregator.topic.events.stored", "Events stored, per topic", tag).inc(counts[0]);
            counter("aggregator.topic.events.duplicate", "Duplicates dropped, per topic", tag).inc(counts[1]);
        });
        commitTimer().update(Duration.ofNanos(nanos));
        groupSize().update(events.size());
    }

    private String seriesName(String topic) {
        if (taggedTopics.contains(topic)) {
            return topic;
        }
        synchronized (taggedTopics) {
            if (taggedTopics.size() < maxTopicSeries) {
                taggedTopics.add(topic);
                return topic;
            }
        }
        return OTHER_TOPICS;
    }

    private Timer commitTimer() {
        return registry.timer(Metadata.builder().withName("aggregator.commit.latency")
                .withDescription("Time to store one group of events and commit it").build());
    }

    private Histogram groupSize() {
        return registry.histogram(Metadata.builder().withName("aggregator.commit.group.size")
                .withDescription("Events per group commit").build());
    }

    /** Time from receiving a publish request to answering it. */
    public Timer publishTimer() {
        return registry.timer(Metadata.builder().withName("aggregator.publish.latency")
                .withDescription("Time from receiving a publish request to answering it").build());
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
