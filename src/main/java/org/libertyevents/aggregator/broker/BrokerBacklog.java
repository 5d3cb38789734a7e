package org.libertyevents.aggregator.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.logging.Level;
import java.util.logging.Logger;

/** How many events wait in the broker, for {@code /stats}; the last known figures while Redis cannot say. */
@ApplicationScoped
public class BrokerBacklog {

    private static final Logger LOG = Logger.getLogger(BrokerBacklog.class.getName());

    /**
     * The broker's side of the counters.
     *
     * @param enabled      whether a broker is configured
     * @param available    whether Redis answered just now; when not, the figures are the last it gave
     * @param events       events appended and not yet acknowledged (undelivered or being processed)
     * @param deadLettered events moved to the dead-letter stream
     */
    public record Reading(boolean enabled, boolean available, long events, long deadLettered) {

        static final Reading DISABLED = new Reading(false, true, 0, 0);
    }

    @Inject
    private RedisStreams streams;

    private volatile RedisStreams.Counts last = new RedisStreams.Counts(0, 0);

    public Reading read() {
        if (!streams.enabled()) {
            return Reading.DISABLED;
        }
        try {
            last = streams.counts();
            return new Reading(true, true, last.backlog(), last.deadLettered());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Broker counts unavailable", e);
            return new Reading(true, false, last.backlog(), last.deadLettered());
        }
    }
}
