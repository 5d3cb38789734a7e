package org.libertyevents.aggregator.api;

import jakarta.ws.rs.ext.Provider;

/** Answers a {@link ProblemException} with its problem detail. */
@Provider
public class ProblemExceptionMapper extends ProblemMapper<ProblemException> {

    @Override
    Problem problem(ProblemException exception) {
        return exception.problem();
    }
}
