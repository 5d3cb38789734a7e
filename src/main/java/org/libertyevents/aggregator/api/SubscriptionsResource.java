package org.libertyevents.aggregator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.libertyevents.aggregator.config.SubscriptionSettings;
import org.libertyevents.aggregator.store.Subscription;
import org.libertyevents.aggregator.subscription.Subscriptions;

import java.io.InputStream;
import java.util.logging.Logger;

/**
 * {@code /subscriptions}: webhook subscriptions to the feed, delivered at least once and in feed order with
 * Standard Webhooks signatures (see {@link org.libertyevents.aggregator.subscription.SubscriptionDispatcher}).
 */
@Path("/subscriptions")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionsResource {

    private static final Logger LOG = Logger.getLogger(SubscriptionsResource.class.getName());
    private static final int DEFAULT_DEAD_LETTERS = 100;

    @Inject
    private Subscriptions subscriptions;

    @Inject
    private SubscriptionSettings settings;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Subscribe a URL to the feed",
            description = "Body: url (http or https), topics (array, or null/absent for all), secret (whsec_..., "
                    + "generated when absent), batch_size (1: each event is the body; more: {\"events\": [...]}), "
                    + "from (start, the default, or now), on_exhausted (dead_letter, the default, or pause). "
                    + "201 with the subscription and its secret, which is never shown again.")
    public Response create(InputStream body, @Context UriInfo uri) {
        var request = SubscriptionRequests.create(SmallBodies.read(body), settings.allowPrivateTargets());
        Subscriptions.WithSecret made = subscriptions.create(request).orElseThrow(() -> new ProblemException(
                Problem.of("too-many-subscriptions", "Too many subscriptions", 409, "there are SUBSCRIPTIONS_MAX ("
                        + settings.max() + ") subscriptions already; delete one first")));
        Subscription s = made.subscription();
        LOG.info(() -> "Subscription " + s.id() + " to " + s.url() + " created");
        return Response.created(uri.getAbsolutePathBuilder().path(s.id()).build())
                .entity(SubscriptionView.of(s, made.secret(), null)).build();
    }

    @GET
    @Operation(summary = "Every subscription")
    public JsonObject list() {
        return SubscriptionView.list(subscriptions.list());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One subscription, with its delivery's progress and lag")
    public JsonObject find(@PathParam("id") String id) {
        Subscription s = subscriptions.find(id).orElseThrow(() -> notFound(id));
        return SubscriptionView.of(s, null, subscriptions.lag(s));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Change a subscription",
            description = "Any of url, topics, batch_size, on_exhausted; state (paused, or active to resume, also "
                    + "after a 410 or the retry horizon); rotate_secret true or secret (the old secret signs too for "
                    + "SUBSCRIPTIONS_SECRET_OVERLAP; the new one is in this answer only); cursor (a GET /events "
                    + "cursor) or from (start or now) to move where delivery goes on.")
    public JsonObject change(@PathParam("id") String id, InputStream body) {
        var change = SubscriptionRequests.change(SmallBodies.read(body), settings.allowPrivateTargets());
        Subscriptions.WithSecret changed = subscriptions.change(id, change).orElseThrow(() -> notFound(id));
        LOG.info(() -> "Subscription " + id + " changed" + (changed.secret() == null ? "" : " (secret rotated)"));
        return SubscriptionView.of(changed.subscription(), changed.secret(), null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a subscription (and its dead letters)")
    public Response delete(@PathParam("id") String id) {
        if (!subscriptions.delete(id)) {
            throw notFound(id);
        }
        LOG.info(() -> "Subscription " + id + " deleted");
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/dead-letters")
    @Operation(summary = "Events a subscription gave up on after its retry horizon, the most recent first")
    public JsonObject deadLetters(@PathParam("id") String id, @QueryParam("limit") String limit) {
        subscriptions.find(id).orElseThrow(() -> notFound(id));
        return SubscriptionView.deadLetters(subscriptions.deadLetters(id,
                QueryParameters.count("limit", limit, DEFAULT_DEAD_LETTERS, EventsResource.MAX_LIMIT)));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of("subscription-not-found", "Subscription not found", 404,
                "no subscription " + id));
    }
}
