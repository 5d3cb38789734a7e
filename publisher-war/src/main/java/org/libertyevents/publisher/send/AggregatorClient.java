package org.libertyevents.publisher.send;

import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The aggregator's HTTP API as the publisher uses it (MicroProfile Rest Client; built per run for its target). */
@Path("/")
public interface AggregatorClient {

    @POST
    @Path("publish")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response publish(String body, @HeaderParam("Prefer") String prefer);

    @GET
    @Path("stats")
    @Produces(MediaType.APPLICATION_JSON)
    JsonObject stats();

    @GET
    @Path("events/{topic}/{eventId}")
    @Produces(MediaType.APPLICATION_JSON)
    Response event(@PathParam("topic") String topic, @PathParam("eventId") String eventId);

    @GET
    @Path("health/ready")
    Response ready();
}
