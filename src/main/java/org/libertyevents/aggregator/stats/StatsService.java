package org.libertyevents.aggregator.stats;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.broker.BrokerBacklog;
import org.libertyevents.aggregator.config.ApiKeys;
import org.libertyevents.aggregator.ingest.IngestPipeline;
import org.libertyevents.aggregator.retention.RetentionMetrics;
import org.libertyevents.aggregator.store.CounterTotals;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.TopicCounter;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Assembles {@link StatsSnapshot}s from the persistent counters, the pipeline's pending count and the broker's
 * backlog, read so that this instance's own work is never missed (see {@link IngestPipeline#readConsistently}).
 */
@ApplicationScoped
public class StatsService {

    private final Instant startedAt = Instant.now();

    @EJB
    private EventRepository repository;

    /** Storage as the last retention pass read it: a dashboard polling /stats never sizes tables itself. */
    @Inject
    private RetentionMetrics storage;

    @Inject
    private IngestPipeline pipeline;

    @Inject
    private BrokerBacklog backlog;

    @Inject
    private ApiKeys keys;

    /** Created with the application, so that {@code started_at} is the application's start. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
        // observing the event is what creates this bean eagerly
    }

    /**
     * The counters, with one page of topics.
     *
     * @param topic when not null, the page holds only this topic (empty if it has no counters yet)
     * @param after the page starts after this topic name ({@code ""} for the first page)
     * @param limit topics per page at most
     */
    public StatsSnapshot snapshot(String topic, String after, int limit) {
        // Re-reads are for commits that overlapped a read; while Redis cannot answer, one failed call is enough.
        AtomicReference<BrokerBacklog.Reading> unavailable = new AtomicReference<>();
        Totals totals = pipeline.readConsistently(queued -> {
            // The broker first: another instance may commit and acknowledge entries between the two reads, and
            // read in this order they are counted twice for a moment rather than not at all. So once a snapshot
            // shows nothing pending, every acknowledged event is in its counters.
            BrokerBacklog.Reading broker = unavailable.get() != null ? unavailable.get() : backlog.read();
            if (!broker.available()) {
                unavailable.set(broker);
            }
            return new Totals(repository.counterTotals(), queued + broker.events(), broker);
        });
        // The page only details topics, so it is read after the totals, outside the consistent read.
        List<TopicCounter> rows = topic == null
                ? repository.topicCounters(after, limit + 1) : repository.topicCounter(topic).stream().toList();
        boolean more = rows.size() > limit;
        List<StatsSnapshot.TopicStats> topics = (more ? rows.subList(0, limit) : rows).stream()
                .map(row -> new StatsSnapshot.TopicStats(row.getTopic(), row.getUniqueCount(),
                        row.getDroppedCount(), row.getConflictCount(), row.getExpiredCount(), row.getErasedCount()))
                .toList();
        CounterTotals counters = totals.counters();
        BrokerBacklog.Reading broker = totals.broker();
        return new StatsSnapshot(counters.unique() + counters.dropped() + totals.pending() + broker.deadLettered(),
                counters.unique(), counters.dropped(), counters.conflicts(),
                totals.pending(), broker.deadLettered(), counters.expired(), counters.erased(), storage.storage(),
                new StatsSnapshot.Broker(broker.enabled(), broker.available(), broker.events()), topics,
                Math.toIntExact(counters.topics()), more ? topics.get(topics.size() - 1).name() : null,
                new StatsSnapshot.Access(keys.publishing().toString(), keys.reads().toString()), startedAt,
                Duration.between(startedAt, Instant.now()).toSeconds());
    }

    /** What one consistent read gives: the summed counters, the pending events and the broker's figures. */
    private record Totals(CounterTotals counters, long pending, BrokerBacklog.Reading broker) {
    }
}
