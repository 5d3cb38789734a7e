package org.libertyevents.aggregator.intake;

import java.io.IOException;

/**
 * A read of a request body past its overall deadline, thrown by the stream that enforces the deadline (the HTTP
 * layer's body deadline filter). Whoever reads the body answers it as {@link InvalidRequest#timedOut()}.
 */
public final class BodyDeadlineExceededException extends IOException {

    private static final long serialVersionUID = 1L;

    public BodyDeadlineExceededException() {
        super("request body deadline exceeded", null);
    }
}
