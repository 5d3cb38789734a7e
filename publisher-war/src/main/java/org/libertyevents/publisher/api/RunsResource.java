package org.libertyevents.publisher.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.libertyevents.publisher.run.Run;
import org.libertyevents.publisher.run.RunManager;
import org.libertyevents.publisher.run.RunSettings;

import java.io.StringReader;
import java.util.List;

/** {@code /publisher/runs}: start a run, watch its progress and audit, list runs, cancel one. */
@Path("/runs")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    @Inject
    private RunManager manager;

    @Inject
    private RunDefaults defaults;

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Response start(String body, @Context UriInfo uri) {
        JsonObject request;
        try (var reader = Json.createReader(new StringReader(body == null || body.isBlank() ? "{}" : body))) {
            request = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return problem(400, "Malformed JSON", List.of("the body must be a JSON object of run settings"));
        }
        RunRequestReader reader = defaults.reader();
        RunSettings settings = reader.read(request);
        if (settings == null) {
            return problem(422, "Invalid run settings", reader.errors());
        }
        Run run = manager.start(settings);
        return Response.accepted(RunJson.of(run))
                .location(uri.getAbsolutePathBuilder().path(run.id()).build()).build();
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
                .orElseGet(() -> problem(404, "Run not found", List.of("no run " + id)));
    }

    @DELETE
    @Path("/{id}")
    public Response cancel(@PathParam("id") String id) {
        return manager.cancel(id) ? Response.accepted(RunJson.of(manager.find(id).orElseThrow())).build()
                : problem(404, "Run not found", List.of("no run " + id));
    }

    private static Response problem(int status, String title, List<String> errors) {
        JsonObject body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status)
                .add("detail", String.join("; ", errors))
                .add("errors", Json.createArrayBuilder(errors))
                .build();
        return Response.status(status).type("application/problem+json").entity(body.toString()).build();
    }
}
