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
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Optional API keys. With {@code API_KEYS} set (a comma-separated list), publishing needs one of them, sent as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}; without it the request is refused with 401
 * before its body is read, so nothing of it is stored. Reads ({@code /events}, {@code /stats}, {@code /conflicts})
 * stay open unless {@code API_KEYS_PROTECT_READS} is true. Health, metrics and OpenAPI are not behind it: probes and
 * Prometheus must reach them. Without {@code API_KEYS} nothing is checked.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped
public class ApiKeyFilter implements ContainerRequestFilter {

    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";

    @Inject
    @ConfigProperty(name = "api.keys")
    private Optional<String> configuredKeys;

    @Inject
    @ConfigProperty(name = "api.keys.protect.reads", defaultValue = "false")
    private boolean protectReads;

    private volatile List<byte[]> keys;

    @Override
    public void filter(ContainerRequestContext request) {
        List<byte[]> accepted = keys();
        if (accepted.isEmpty()) {
            return;
        }
        boolean write = !HttpMethod.GET.equals(request.getMethod()) && !HttpMethod.HEAD.equals(request.getMethod());
        if (!write && !protectReads) {
            return;
        }
        byte[] presented = presented(request);
        if (presented == null || accepted.stream().noneMatch(key -> MessageDigest.isEqual(key, presented))) {
            Response refused = Problem.of("unauthorized", "Unauthorized", 401, presented == null
                    ? "send an API key as Authorization: Bearer <key> or " + API_KEY_HEADER + ": <key>"
                    : "the API key is not valid").toResponse(request.getUriInfo().getRequestUri().getPath());
            request.abortWith(Response.fromResponse(refused)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"liberty-event-aggregator\"").build());
        }
    }

    private List<byte[]> keys() {
        if (keys == null) {
            keys = configuredKeys.map(list -> Arrays.stream(list.split(",")).map(String::strip)
                    .filter(key -> !key.isEmpty()).map(key -> key.getBytes(StandardCharsets.UTF_8)).toList())
                    .orElse(List.of());
        }
        return keys;
    }

    private static byte[] presented(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        }
        String apiKey = request.getHeaderString(API_KEY_HEADER);
        return apiKey == null ? null : apiKey.strip().getBytes(StandardCharsets.UTF_8);
    }
}
