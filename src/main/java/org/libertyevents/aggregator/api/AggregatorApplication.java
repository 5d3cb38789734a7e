package org.libertyevents.aggregator.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/** The REST API: publish at {@code /publish}, read at {@code /events} and {@code /stats}. */
@ApplicationPath("/")
@OpenAPIDefinition(info = @Info(title = "Liberty Event Aggregator", version = "1.0",
        description = "Idempotent event aggregator: each (topic, event_id) takes effect exactly once."))
public class AggregatorApplication extends Application {
}
