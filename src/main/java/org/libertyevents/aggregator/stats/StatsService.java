package org.libertyevents.aggregator.stats;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.broker.BrokerBacklog;
import org.libertyevents.aggregator.ingest.IngestPipeline;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.TopicCounter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles {@link StatsSnapshot}s from the persistent counters, the pipeline's pending count and the broker's
 * backlog. All three are read while no commit of this instance is between its database commit and its broker
 * acknowledgement, so that this instance's own work is never counted twice or missed.
 */
@ApplicationScoped
public class StatsService {

    private final Instant startedAt = Instant.now();

    @EJB
    private EventRepository repository;

    @Inject
    private IngestPipeline pipeline;

    @Inject
    private BrokerBacklog backlog;

    /** Created with the application, so that {@code started_at} is the application's start. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // observing the event is what creates this bean eagerly
    }

    public StatsSnapshot snapshot() {
        return pipeline.readConsistently(pending -> {
            // The broker first: another instance may commit and acknowledge entries between the two reads, and
            // read in this order they are counted twice for a moment rather than not at all. So once a snapshot
            // shows nothing pending, every acknowledged event is in its counters.
            BrokerBacklog.Reading broker = backlog.read();
            return build(repository.topicCounters(), pending, broker);
        });
    }

    private StatsSnapshot build(List<TopicCounter> counters, int queued, BrokerBacklog.Reading broker) {
        long unique = 0;
        long duplicates = 0;
        long conflicts = 0;
        List<StatsSnapshot.TopicStats> topics = new ArrayList<>(counters.size());
        for (TopicCounter counter : counters) {
            unique += counter.getUniqueCount();
            duplicates += counter.getDuplicateCount();
            conflicts += counter.getConflictCount();
            topics.add(new StatsSnapshot.TopicStats(counter.getTopic(), counter.getUniqueCount(),
                    counter.getDuplicateCount(), counter.getConflictCount()));
        }
        Instant now = Instant.now();
        long pending = queued + broker.events();
        return new StatsSnapshot(unique + duplicates + conflicts + pending + broker.deadLettered(), unique,
                duplicates, conflicts, pending, broker.deadLettered(), new StatsSnapshot.Broker(broker.enabled(), broker.available(), broker.events()),
                topics, topics.size(), startedAt, Duration.between(startedAt, now).toSeconds());
    }
}
