package org.libertyevents.aggregator.health;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;
import org.libertyevents.aggregator.store.SchemaState;

/** Started once the schema migrations have run. */
@Startup
@ApplicationScoped
public class SchemaStartupCheck implements HealthCheck {

    @EJB
    private SchemaState schema;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("schema").status(schema.dialect().isPresent()).build();
    }
}
