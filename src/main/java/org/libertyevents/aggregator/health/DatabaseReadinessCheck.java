package org.libertyevents.aggregator.health;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.libertyevents.aggregator.store.DatabaseProbe;
import org.libertyevents.aggregator.store.SchemaState;

import java.util.Optional;

/** Ready when the database answers and the schema is current. */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

    @Inject
    private DatabaseProbe probe;

    @EJB
    private SchemaState schema;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("database");
        Optional<String> problem = probe.problem();
        if (problem.isPresent()) {
            return response.down().withData("error", problem.get()).build();
        }
        return schema.dialect()
                .map(dialect -> response.up().withData("dialect", dialect.name()).build())
                .orElseGet(() -> response.down().withData("error", schema.lastError()).build());
    }
}
