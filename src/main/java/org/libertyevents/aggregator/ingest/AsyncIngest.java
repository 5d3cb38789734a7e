package org.libertyevents.aggregator.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.libertyevents.aggregator.broker.AppendKey;
import org.libertyevents.aggregator.broker.Appended;
import org.libertyevents.aggregator.broker.BrokerAppends;
import org.libertyevents.aggregator.event.Event;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;
import java.util.logging.Logger;

/**
 * The asynchronous side of ingest ({@code Prefer: respond-async}): a request goes to the broker whole, and counts as
 * accepted only once Redis (and the replicas asked for) has it, never while held in memory. What the broker cannot
 * take comes back as an {@link IngestRejectedException}, as the synchronous pipeline's refusals do.
 */
@ApplicationScoped
public class AsyncIngest {

    private static final Logger LOG = Logger.getLogger(AsyncIngest.class.getName());

    @Inject
    private BrokerAppends broker;

    @Inject
    private IngestMetrics metrics;

    /** True when a broker is configured. */
    public boolean enabled() {
        return broker.enabled();
    }

    /**
     * Appends the request's events to the broker.
     *
     * @param key its Idempotency-Key, or null
     * @return {@link Appended#APPENDED}, {@link Appended#APPENDED_BEFORE} (a retry after a lost answer) or
     *         {@link Appended#KEY_REUSED} (nothing appended)
     * @throws IngestRejectedException when the broker is full, unavailable, or its replicas did not confirm in time
     */
    public Appended enqueue(List<Event> events, AppendKey key) {
        Appended appended;
        try {
            appended = broker.append(events, key);
        } catch (JedisException | FaultToleranceException e) {
            // Readiness and the consumers' log already report the outage; one line per refused request would flood.
            LOG.fine(() -> "Asynchronous publish refused, the broker is unavailable: " + e);
            throw new IngestRejectedException(IngestRejectedException.Reason.BROKER_UNAVAILABLE,
                    "the broker cannot take events now; publish again (a retry is safe)");
        }
        switch (appended) {
            case BACKLOG_FULL -> throw new IngestRejectedException(IngestRejectedException.Reason.BROKER_FULL,
                    "the broker backlog is full; publish later");
            case UNREPLICATED -> throw new IngestRejectedException(IngestRejectedException.Reason.BROKER_UNREPLICATED,
                    "the broker's replicas did not confirm these events in time; publish again (a retry is safe)");
            case APPENDED -> metrics.received(events.size());
            default -> {
                // Appended before, or another request's key: counted when it was appended, or never.
            }
        }
        return appended;
    }

    /** The key keeps the answer now: its marker in Redis would only cost memory until it expires. */
    public void answerKept(AppendKey key) {
        try {
            broker.forget(key);
        } catch (JedisException | FaultToleranceException e) {
            LOG.fine(() -> "Could not drop an Idempotency-Key's append marker; it expires on its own: " + e);
        }
    }
}
