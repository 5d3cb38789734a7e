package org.libertyevents.publisher.send;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Sends one batch until the aggregator acknowledges it, the attempts run out, or the run is cancelled. Retries
 * connection errors, timeouts, 503 and 429 with exponential backoff and full jitter, never sooner than the
 * server's {@code Retry-After}. Any other answer is final: retrying a 4xx would only repeat it.
 */
@ApplicationScoped
public class BatchSender {

    private static final Logger LOG = Logger.getLogger(BatchSender.class.getName());
    private static final long BASE_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    @Inject
    private Attempt attempt;

    @Inject
    @ConfigProperty(name = "publisher.max.attempts", defaultValue = "8")
    private int maxAttempts;

    public SendOutcome send(AggregatorClient client, String body, boolean async, BooleanSupplier cancelled) {
        String prefer = async ? "respond-async" : null;
        String lastError = "cancelled before it was sent";
        int attempts = 0;
        for (int attemptNo = 1; attemptNo <= maxAttempts && !cancelled.getAsBoolean(); attemptNo++) {
            attempts = attemptNo;
            long retryAfterMillis = 0;
            try {
                Attempt.Answer answer = attempt.publish(client, body, prefer);
                if (answer.status() == 200 && answer.body() != null) {
                    return new SendOutcome(true, answer.body().getInt("stored", 0),
                            answer.body().getInt("duplicates", 0), attemptNo - 1, null);
                }
                if (answer.status() == 202) {
                    return new SendOutcome(true, 0, 0, attemptNo - 1, null);
                }
                lastError = "HTTP " + answer.status() + (answer.body() == null ? ""
                        : ": " + answer.body().getString("detail", ""));
                if (answer.status() != 503 && answer.status() != 429) {
                    return new SendOutcome(false, 0, 0, attemptNo - 1, lastError);
                }
                retryAfterMillis = TimeUnit.SECONDS.toMillis(answer.retryAfterSeconds());
            } catch (TimeoutException e) {
                lastError = "timed out";
            } catch (ProcessingException e) {
                // The detail (host, port, "Connection refused") is for the operator's log, not for the caller.
                lastError = "cannot reach the target";
                String detail = rootMessage(e);
                LOG.warning(() -> "A batch cannot reach the target: " + detail);
            }
            if (attemptNo < maxAttempts) {
                long cap = Math.min(MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS << Math.min(attemptNo - 1, 16));
                long pause = Math.max(retryAfterMillis, ThreadLocalRandom.current().nextLong(cap + 1));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
            }
        }
        return new SendOutcome(false, 0, 0, Math.max(0, attempts - 1), lastError);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
