package org.libertyevents.aggregator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.libertyevents.aggregator.stats.StatsService;
import org.libertyevents.aggregator.stats.StatsSnapshot;

/** {@code GET /stats}: counters that survive restarts and always add up. */
@Path("/stats")
@ApplicationScoped
public class StatsResource {

    @Inject
    private StatsService stats;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Counters: received = unique_processed + duplicate_dropped + conflict_dropped + pending "
            + "+ dead_lettered")
    public StatsSnapshot get() {
        return stats.snapshot();
    }
}
