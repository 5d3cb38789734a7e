package org.libertyevents.aggregator.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * JSON on the wire uses snake_case names ({@code event_id}, {@code unique_processed}), as the event format does,
 * and writes nulls, so that {@code "next": null} says plainly that a page is the last. JSON written outside an
 * entity (the events of a live stream) uses the same {@link #JSONB}, so that it reads the same.
 */
@Provider
public class JsonbConfigProvider implements ContextResolver<Jsonb> {

    /** Shared with what this service writes elsewhere (stream and webhook bodies): JSON-B instances are thread-safe. */
    public static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES)
            .withNullValues(true));

    @Override
    public Jsonb getContext(Class<?> type) {
        return JSONB;
    }
}
