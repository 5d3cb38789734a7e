package org.libertyevents.aggregator.api;

import jakarta.ws.rs.ext.Provider;
import org.libertyevents.aggregator.intake.InvalidRequest;

/**
 * Answers a request body that {@code intake} refused, on any path where no resource caught it, with
 * {@link Problem#of(InvalidRequest)}.
 */
@Provider
public class InvalidRequestMapper extends ProblemMapper<InvalidRequest> {

    @Override
    Problem problem(InvalidRequest exception) {
        return Problem.of(exception);
    }
}
