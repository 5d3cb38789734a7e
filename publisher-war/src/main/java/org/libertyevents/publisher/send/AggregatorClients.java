package org.libertyevents.publisher.send;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds the REST client of a run for its target. The aggregator's key ({@code AGGREGATOR_API_KEY}) goes only to
 * the {@code AGGREGATOR_URL} origin, never to another allowed target; redirects are not followed, so no answer can
 * send a run (or the key) to an origin that is not allowed.
 */
@ApplicationScoped
public class AggregatorClients {

    @Inject
    private Targets targets;

    /** The aggregator's API key, when it requires one (its API_KEYS). */
    @Inject
    @ConfigProperty(name = "aggregator.api.key")
    private Optional<String> apiKey;

    public AggregatorClient forTarget(URI target) {
        RestClientBuilder builder = RestClientBuilder.newBuilder()
                .baseUri(target)
                .connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(60, TimeUnit.SECONDS)
                .followRedirects(false)
                .property("microprofile.rest.client.disable.default.mapper", true);
        if (targets.allowList().isAggregator(target)) {
            apiKey.map(String::strip).filter(key -> !key.isEmpty())
                    .ifPresent(key -> builder.register(new ApiKeyHeader(key)));
        }
        return builder.build(AggregatorClient.class);
    }
}
