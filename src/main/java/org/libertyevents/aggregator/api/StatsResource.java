package org.libertyevents.aggregator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.libertyevents.aggregator.stats.StatsService;
import org.libertyevents.aggregator.stats.StatsSnapshot;
import org.libertyevents.aggregator.stats.ThroughputHistory;
import org.libertyevents.aggregator.stats.ThroughputSampler;

/**
 * {@code GET /stats}: counters that survive restarts and always add up, with one page of topics; and
 * {@code GET /stats/history}: this instance's events per second over the last minutes.
 */
@Path("/stats")
@ApplicationScoped
public class StatsResource {

    static final int DEFAULT_TOPICS = 100;
    static final int MAX_TOPICS = 1000;

    @Inject
    private StatsService stats;

    @Inject
    private ThroughputSampler throughput;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Counters: received = unique_processed + duplicate_dropped + pending + dead_lettered",
            description = "duplicate_dropped counts every dropped repeat, conflict_dropped the part of them whose "
                    + "payload differed (per topic: duplicates and conflicts). The totals cover every topic. topics lists one page of them in name order: topics_limit "
                    + "1-1000 (default 100), topics_after the topics_next of the page before; topic=<name> lists only "
                    + "that topic.")
    public StatsSnapshot get(@QueryParam("topic") String topic, @QueryParam("topics_after") String after,
                             @QueryParam("topics_limit") String limit) {
        EventsResource.checkFilter("topic", topic);
        EventsResource.checkFilter("topics_after", after);
        if (topic != null && after != null) {
            throw new ProblemException(Problem.invalidParameter("topics_after", "cannot be combined with topic"));
        }
        return stats.snapshot(topic, after == null ? "" : after,
                QueryParameters.count("topics_limit", limit, DEFAULT_TOPICS, MAX_TOPICS));
    }

    @GET
    @Path("history")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This instance's events per second over the last STATS_HISTORY_MINUTES (default 10)",
            description = "points, oldest first: second (ISO 8601), received, unique_processed, duplicate_dropped "
                    + "(every dropped repeat), conflict_dropped (the part with another payload), rejected (ingest "
                    + "queue full). Kept in memory by each instance for the events it counted: behind a load "
                    + "balancer every instance answers with its own, and a restart starts it empty.")
    public ThroughputHistory history() {
        return throughput.history();
    }
}
