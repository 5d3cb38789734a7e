package org.libertyevents.aggregator.ingest;

/** The pipeline could not accept a submission now; the client should retry later. */
public class IngestRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the submission was refused. */
    public enum Reason {
        /** The bounded queue is full. */
        QUEUE_FULL,
        /** The application is stopping. */
        STOPPING
    }

    private final Reason reason;

    public IngestRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
