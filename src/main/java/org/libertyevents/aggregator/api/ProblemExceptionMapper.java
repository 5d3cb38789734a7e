package org.libertyevents.aggregator.api;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Answers a {@link ProblemException} with its problem detail. */
@Provider
public class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {

    @Context
    private UriInfo uri;

    @Override
    public Response toResponse(ProblemException exception) {
        return exception.problem().toResponse("/" + uri.getPath(false).replaceFirst("^/", ""));
    }
}
