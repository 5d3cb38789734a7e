package org.libertyevents.aggregator.store;

import jakarta.ejb.ApplicationException;

/**
 * The database cancelled a read at the read timeout ({@code DB_READ_TIMEOUT_SECONDS}), most likely because a lock
 * held it up; the same read later may well work. An application exception, so that the container hands it to the
 * caller as it is.
 */
@ApplicationException(rollback = true)
public class ReadTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReadTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
