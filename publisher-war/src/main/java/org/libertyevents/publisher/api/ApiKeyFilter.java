package org.libertyevents.publisher.api;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The aggregator's API keys guard the publisher's runs too: with {@code API_KEYS} set, starting or cancelling a
 * run needs one of them ({@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}), and so does reading
 * runs unless {@code API_KEYS_PROTECT_READS} is false. A run makes the server send requests, with the aggregator's
 * key, so it is as much a write as a publish. Refused with 401 before the body is read. The page itself is a
 * servlet, outside this filter: it holds no data and sends the key the user gives it.
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
    @ConfigProperty(name = "api.keys.protect.reads", defaultValue = "true")
    private boolean protectReads;

    private volatile List<byte[]> keys;

    @Override
    public void filter(ContainerRequestContext request) {
        List<byte[]> accepted = keys();
        boolean read = HttpMethod.GET.equals(request.getMethod()) || HttpMethod.HEAD.equals(request.getMethod());
        if (accepted.isEmpty() || read && !protectReads) {
            return;
        }
        byte[] presented = presented(request);
        // MessageDigest.isEqual takes the same time wherever the first difference is.
        if (presented == null || accepted.stream().noneMatch(key -> MessageDigest.isEqual(key, presented))) {
            request.abortWith(Problems.problem(401, "Unauthorized", List.of(presented == null
                            ? "send an API key as Authorization: Bearer <key> or " + API_KEY_HEADER + ": <key>"
                            : "the API key is not valid"))
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
