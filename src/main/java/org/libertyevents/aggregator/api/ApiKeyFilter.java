package org.libertyevents.aggregator.api;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.libertyevents.aggregator.config.ApiKeys;

/**
 * Enforces {@link ApiKeys}: a request that needs a key and does not present a valid one as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} is refused with 401 before its body is read, so
 * nothing of it is stored. Health, metrics and OpenAPI are not behind it: probes and Prometheus must reach them.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped
public class ApiKeyFilter implements ContainerRequestFilter {

    @Inject
    private ApiKeys keys;

    @Override
    public void filter(ContainerRequestContext request) {
        boolean read = HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
        if ((read ? keys.reads() : keys.publishing()) == ApiKeys.Access.OPEN) {
            return;
        }
        byte[] presented = ApiKeys.presented(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                request.getHeaderString(ApiKeys.API_KEY_HEADER));
        if (!keys.accepts(presented)) {
            Response refused = Problem.of("unauthorized", "Unauthorized", 401, presented == null
                    ? "send an API key as Authorization: Bearer <key> or " + ApiKeys.API_KEY_HEADER + ": <key>"
                    : "the API key is not valid").toResponse(request.getUriInfo().getRequestUri().getPath());
            request.abortWith(Response.fromResponse(refused)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"liberty-event-aggregator\"").build());
        }
    }
}
