package org.libertyevents.aggregator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.Provider;
import org.libertyevents.aggregator.config.IngestSettings;
import org.libertyevents.aggregator.config.ReadSettings;
import org.libertyevents.aggregator.store.ReadTimeoutException;

import java.util.logging.Logger;

/** A read past the read timeout: 503 with {@code Retry-After}, since a lock or a load, not the request, is at fault. */
@Provider
@ApplicationScoped
public class ReadTimeoutMapper extends ProblemMapper<ReadTimeoutException> {

    private static final Logger LOG = Logger.getLogger(ReadTimeoutMapper.class.getName());

    @Inject
    private ReadSettings reads;

    @Inject
    private IngestSettings ingest;

    @Override
    Problem problem(ReadTimeoutException exception) {
        LOG.fine(() -> "A read timed out: " + exception.getCause());
        return Problem.unavailable("read-timeout", "Read timeout", "the database did not answer within "
                + reads.timeout().toSeconds() + " s; try again later", ingest.retryAfter());
    }
}
