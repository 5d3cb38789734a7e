package org.libertyevents.aggregator.store;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Migrates the schema when the application starts and, if the database cannot be reached then, keeps trying in
 * the background: the server starts either way, and readiness stays down until the schema is in place.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SchemaState {

    private static final Logger LOG = Logger.getLogger(SchemaState.class.getName());

    @EJB
    private SchemaMigrator migrator;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "schema.retry.seconds", defaultValue = "5")
    private long retrySeconds;

    private volatile Dialect dialect;
    private volatile String lastError = "not migrated yet";

    /** Outside any transaction: a failed attempt must not doom this bean, only schedule the next one. */
    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void start() {
        if (!tryMigrate()) {
            scheduleRetry();
        }
    }

    private boolean tryMigrate() {
        try {
            dialect = migrator.migrate();
            LOG.info(() -> "Schema ready on " + dialect);
            return true;
        } catch (RuntimeException e) {
            StoreException failure = StoreException.classify(e);
            lastError = "schema migration failed: " + failure.summary();
            LOG.warning(() -> "Schema migration failed, retrying in " + retrySeconds + " s: " + failure.getMessage());
            return false;
        }
    }

    private void scheduleRetry() {
        try {
            scheduler.schedule(() -> {
                if (!tryMigrate()) {
                    scheduleRetry();
                }
            }, retrySeconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.fine("Application stopping; schema migration retries end");
        }
    }

    /** The database's dialect once the schema is current; empty before that. */
    public Optional<Dialect> dialect() {
        return Optional.ofNullable(dialect);
    }

    /** Why the schema is not ready, for health checks and errors: no driver message, which can name hosts. */
    public String lastError() {
        return lastError;
    }
}
