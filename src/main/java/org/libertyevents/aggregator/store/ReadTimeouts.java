package org.libertyevents.aggregator.store;

import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.QueryTimeoutException;

import java.sql.SQLException;

/**
 * Turns a read the database cancelled at its statement timeout into a {@link ReadTimeoutException}, which the API
 * answers with 503 and {@code Retry-After}: the container would otherwise wrap it into an EJB exception, a 500.
 */
public class ReadTimeouts {

    /** SQLSTATE {@code query_canceled}: PostgreSQL and H2 both report a statement past its timeout with it. */
    private static final String QUERY_CANCELED = "57014";

    @AroundInvoke
    Object translate(InvocationContext call) throws Exception {
        try {
            return call.proceed();
        } catch (RuntimeException e) {
            if (timedOut(e)) {
                throw new ReadTimeoutException("the database did not answer the read in time", e);
            }
            throw e;
        }
    }

    /** True when the failure, or one of its causes, is a statement cancelled at its timeout. */
    static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof QueryTimeoutException
                    || cause instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
