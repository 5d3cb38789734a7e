package org.libertyevents.aggregator.ingest;

/**
 * The pipeline could not accept a submission now, or not commit it within the publish timeout, or the broker could
 * not take it; the client should retry later (publishing again is safe either way).
 */
public class IngestRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the submission was refused. */
    public enum Reason {
        /** The bounded queue is full. */
        QUEUE_FULL,
        /** The application is stopping. */
        STOPPING,
        /** Accepted, but not committed within the publish timeout; it may still commit afterwards. */
        COMMIT_TIMEOUT,
        /** The broker's backlog has no room for an asynchronous publish; nothing was appended. */
        BROKER_FULL,
        /** The broker cannot take an asynchronous publish now; it may have been appended if the answer was lost. */
        BROKER_UNAVAILABLE,
        /** Appended, but not confirmed by the replicas asked for in time; it may be lost with its master. */
        BROKER_UNREPLICATED
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
