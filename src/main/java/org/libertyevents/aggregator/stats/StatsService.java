package org.libertyevents.aggregator.stats;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.ingest.IngestPipeline;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.TopicCounter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Assembles {@link StatsSnapshot}s from the persistent counters and the pipeline's pending count. */
@ApplicationScoped
public class StatsService {

    private final Instant startedAt = Instant.now();

    @EJB
    private EventRepository repository;

    @Inject
    private IngestPipeline pipeline;

    /** Created with the application, so that {@code started_at} is the application's start. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // observing the event is what creates this bean eagerly
    }

    public StatsSnapshot snapshot() {
        return pipeline.readConsistently(pending -> build(repository.topicCounters(), pending));
    }

    private StatsSnapshot build(List<TopicCounter> counters, int pending) {
        long unique = 0;
        long duplicates = 0;
        List<StatsSnapshot.TopicStats> topics = new ArrayList<>(counters.size());
        for (TopicCounter counter : counters) {
            unique += counter.getUniqueCount();
            duplicates += counter.getDuplicateCount();
            topics.add(new StatsSnapshot.TopicStats(counter.getTopic(), counter.getUniqueCount(),
                    counter.getDuplicateCount()));
        }
        Instant now = Instant.now();
        return new StatsSnapshot(unique + duplicates + pending, unique, duplicates, pending, topics, topics.size(),
                startedAt, Duration.between(startedAt, now).toSeconds());
    }
}
