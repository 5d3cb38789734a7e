package org.libertyevents.aggregator.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.libertyevents.aggregator.store.EventRepository;

import java.util.List;

/**
 * {@code GET /conflicts}: the latest conflicting duplicates (a stored key published again with another payload),
 * newest first. The list is bounded ({@code CONFLICTS_KEPT}); the counts in {@code /stats} are not.
 */
@Path("/conflicts")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ConflictsResource {

    @EJB
    private EventRepository repository;

    @GET
    @Operation(summary = "The latest conflicting duplicates, newest first",
            description = "Optional filter topic; limit 1-1000 (default 100).")
    public List<ConflictView> list(@QueryParam("topic") String topic, @QueryParam("limit") String limit) {
        EventsResource.checkFilter("topic", topic);
        return repository.conflicts(topic, EventsResource.parseLimit(limit)).stream().map(ConflictView::of).toList();
    }
}
