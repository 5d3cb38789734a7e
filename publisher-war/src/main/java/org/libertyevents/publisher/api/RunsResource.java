package org.libertyevents.publisher.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.libertyevents.publisher.run.Run;
import org.libertyevents.publisher.run.RunManager;
import org.libertyevents.publisher.run.RunSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Optional;

import static org.libertyevents.publisher.api.Problems.problem;

/**
 * {@code /publisher/runs}: start a run, watch its progress and audit, list runs, cancel one. Behind
 * {@link ApiKeyFilter}; a start takes only {@code application/json} of at most {@link RequestBody#MAX_BYTES}.
 */
@Path("/runs")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    /** Seconds a caller refused for too many active runs waits: runs of the default size take about that long. */
    private static final int RETRY_AFTER_SECONDS = 10;

    @Inject
    private RunManager manager;

    @Inject
    private RunDefaults defaults;

    // No @Consumes: JAX-RS would let a request without Content-Type through, and answer 415 without a problem body.
    @POST
    public Response start(@Context HttpHeaders headers, InputStream body, @Context UriInfo uri) {
        if (!isJson(headers.getHeaderString(HttpHeaders.CONTENT_TYPE))) {
            return problem(415, "Unsupported Media Type",
                    List.of("run settings are a JSON object sent as Content-Type: application/json")).build();
        }
        String text;
        try {
            if (headers.getLength() > RequestBody.MAX_BYTES) {
                throw new RequestBody.TooLarge();
            }
            text = RequestBody.read(body);
        } catch (RequestBody.TooLarge e) {
            return closing(problem(413, "Content Too Large", List.of(e.getMessage())));
        } catch (DeadlineInputStream.Expired e) {
            return closing(problem(408, "Request Timeout", List.of(e.getMessage())));
        } catch (IOException e) {
            if (timedOut(e)) { // Liberty's readTimeout: the body stalled
                return closing(problem(408, "Request Timeout", List.of("the request body stalled")));
            }
            return closing(problem(400, "Bad Request", List.of("the body could not be read")));
        }
        JsonObject request;
        if (text == null) {
            return problem(400, "Malformed JSON", List.of("the body must be UTF-8")).build();
        }
        try (var reader = Json.createReader(new StringReader(text.isBlank() ? "{}" : text))) {
            request = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return problem(400, "Malformed JSON", List.of("the body must be a JSON object of run settings")).build();
        }
        RunRequestReader reader = defaults.reader();
        RunSettings settings = reader.read(request);
        if (settings == null) {
            return problem(422, "Invalid run settings", reader.errors()).build();
        }
        Optional<Run> run = manager.start(settings);
        if (run.isEmpty()) {
            // 429 like Stripe's concurrency limiter and Kafka's quota throttling: "too many at once, come back
            // later", which clients (this publisher's own BatchSender too) retry after Retry-After. 409 would say
            // the request conflicts with a resource's state, which waiting does not fix.
            return problem(429, "Too Many Active Runs", List.of("the publisher already runs as many runs as"
                    + " PUBLISHER_MAX_ACTIVE_RUNS allows; retry when one has finished, or cancel one"))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        return Response.accepted(RunJson.of(run.get()))
                .location(uri.getAbsolutePathBuilder().path(run.get().id()).build()).build();
    }

    @GET
    public JsonObject list() {
        JsonArrayBuilder runs = Json.createArrayBuilder();
        manager.list().forEach(run -> runs.add(RunJson.of(run)));
        return Json.createObjectBuilder().add("runs", runs).build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        return manager.find(id).map(run -> Response.ok(RunJson.of(run)).build())
                .orElseGet(() -> notFound(id));
    }

    @DELETE
    @Path("/{id}")
    public Response cancel(@PathParam("id") String id) {
        return manager.cancel(id) ? Response.accepted(RunJson.of(manager.find(id).orElseThrow())).build()
                : notFound(id);
    }

    private static Response notFound(String id) {
        return problem(404, "Run not found", List.of("no run " + id)).build();
    }

    /** {@code application/json} with any parameters; not a wildcard, not {@code text/plain}. */
    private static boolean isJson(String contentType) {
        try {
            MediaType type = contentType == null ? null : MediaType.valueOf(contentType);
            return type != null && type.getType().equalsIgnoreCase("application")
                    && type.getSubtype().equalsIgnoreCase("json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A refusal before the body was read in full: the rest of it is not waited for. */
    private static Response closing(Response.ResponseBuilder refusal) {
        return refusal.header("Connection", "close").build();
    }
}
