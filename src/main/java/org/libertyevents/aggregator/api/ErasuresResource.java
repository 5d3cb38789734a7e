package org.libertyevents.aggregator.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.libertyevents.aggregator.store.ErasureStore;

import java.util.Optional;

/** {@code GET /erasures/{id}}: how far a bulk erasure ({@code DELETE /events?topic=...}) got. */
@Path("/erasures")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ErasuresResource {

    @EJB
    private ErasureStore erasures;

    @GET
    @Path("/{id}")
    @Operation(summary = "The progress of a bulk erasure",
            description = "state running or done, erased so far, finished_at once done")
    public ErasureView get(@PathParam("id") String id) {
        return parse(id).flatMap(erasures::job).map(ErasureView::of).orElseThrow(() -> new ProblemException(
                Problem.of("erasure-not-found", "Erasure not found", 404, "no bulk erasure " + id)));
    }

    /** An erasure's id, or empty for text that cannot be one (which no erasure has, hence 404 too). */
    private static Optional<Long> parse(String id) {
        try {
            return Optional.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
