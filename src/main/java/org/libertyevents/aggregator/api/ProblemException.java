package org.libertyevents.aggregator.api;

/** Carries a {@link Problem} out of request handling; {@link ProblemExceptionMapper} turns it into the response. */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
