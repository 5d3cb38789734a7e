package org.libertyevents.bench.minimal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /publish} that reads the request body to its end and answers 200 with a constant JSON in the shape of
 * the aggregator's synchronous answer (the load driver reads its counts from it). No parsing, no storage.
 */
@Path("/publish")
@ApplicationScoped
public class MinimalPublishResource {

    private static final byte[] ANSWER = "{\"stored\":1,\"duplicates\":0}".getBytes(StandardCharsets.UTF_8);

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] publish(InputStream body) throws IOException {
        body.transferTo(OutputStream.nullOutputStream());
        return ANSWER;
    }
}
