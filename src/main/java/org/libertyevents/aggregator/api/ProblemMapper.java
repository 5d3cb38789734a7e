package org.libertyevents.aggregator.api;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Answers an exception that stands for a {@link Problem} with it, the request's path as its instance. */
abstract class ProblemMapper<E extends Throwable> implements ExceptionMapper<E> {

    @Context
    private UriInfo uri;

    /** The problem {@code exception} stands for. */
    abstract Problem problem(E exception);

    @Override
    public Response toResponse(E exception) {
        return problem(exception).toResponse("/" + uri.getPath(false).replaceFirst("^/", ""));
    }
}
