package org.libertyevents.aggregator.broker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The pause of a broker consumer after a failed attempt: doubling from 100 ms to 5 s while Redis or the database stays
 * out of reach, with one warning when the outage starts and one line when it ends, so that an outage does not flood
 * the log.
 */
final class ConsumerBackoff {

    private static final Logger LOG = Logger.getLogger(ConsumerBackoff.class.getName());
    private static final long MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String consumer;
    private int failures;

    ConsumerBackoff(String consumer) {
        this.consumer = consumer;
    }

    /** Notes a failed attempt on {@code what} and waits before the next one. */
    void failed(String what, RuntimeException e) {
        if (failures++ == 0) {
            LOG.warning(() -> "Broker consumer " + consumer + " cannot reach " + what + ", retrying: " + e.getMessage());
        }
        LockSupport.parkNanos(Math.min(MAX_NANOS, MIN_NANOS << Math.min(failures, 6)));
    }

    /** Notes a successful round, ending the outage if there was one. */
    void recovered() {
        if (failures > 0) {
            LOG.info(() -> "Broker consumer " + consumer + " resumed after " + failures + " failed attempts");
            failures = 0;
        }
    }
}
