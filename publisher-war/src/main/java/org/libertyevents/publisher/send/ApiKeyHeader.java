package org.libertyevents.publisher.send;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/** Sends the aggregator's API key ({@code AGGREGATOR_API_KEY}) with every request of a run to its origin. */
public final class ApiKeyHeader implements ClientRequestFilter {

    private final String key;

    public ApiKeyHeader(String key) {
        this.key = key;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }
}
