package org.libertyevents.publisher.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;

/** Where runs go unless they name a target: {@code AGGREGATOR_URL}, read in this one place. */
@ApplicationScoped
public class RunDefaults {

    @Inject
    @ConfigProperty(name = "aggregator.url", defaultValue = "http://localhost:9080")
    private String aggregatorUrl;

    /** A reader that fills unspecified settings with the documented defaults. */
    RunRequestReader reader() {
        return new RunRequestReader(URI.create(aggregatorUrl));
    }
}
