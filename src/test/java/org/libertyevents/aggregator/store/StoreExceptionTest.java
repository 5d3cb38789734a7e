package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.libertyevents.aggregator.store.StoreException.Kind.CONFLICT;
import static org.libertyevents.aggregator.store.StoreException.Kind.REJECTED;
import static org.libertyevents.aggregator.store.StoreException.Kind.UNAVAILABLE;
import static org.libertyevents.aggregator.store.StoreException.Kind.UNCONFIRMED;

/**
 * StoreException: SQLSTATE classes map to CONFLICT, UNAVAILABLE or REJECTED, also through wrapping exceptions; a
 * COMMIT cut off by a lost connection to UNCONFIRMED.
 */
class StoreExceptionTest {

    @ParameterizedTest(name = "SQLSTATE {0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
            "40P01, CONFLICT",     // PostgreSQL deadlock
            "40001, CONFLICT",     // serialization failure (also H2's deadlock)
            "08001, UNAVAILABLE",  // cannot connect
            "08006, UNAVAILABLE",  // connection failure
            "57P01, UNAVAILABLE",  // admin shutdown
            "53300, UNAVAILABLE",  // too many connections
            "NULL,  UNAVAILABLE",  // driver gave no state
            "55P03, CONFLICT",     // lock not available (lock_timeout, NOWAIT)
            "HYT00, CONFLICT",     // H2's lock timeout
            "90131, CONFLICT",     // H2's concurrent update
            "58030, UNAVAILABLE",  // I/O error
            "XX000, UNAVAILABLE",  // internal error
            "25006, UNAVAILABLE",  // read-only transaction: a standby during a failover
            "57014, UNAVAILABLE",  // statement cancelled at its timeout
            "90098, UNAVAILABLE",  // H2's database closed
            "XX001, REJECTED",     // data corrupted: no retry mends it
            "22003, REJECTED",     // numeric value out of range
            "23505, REJECTED",     // unique violation
            "22P05, REJECTED",     // untranslatable character
            "42P01, REJECTED",     // undefined table
            "0A000, REJECTED"})    // feature not supported
    void fromClassifiesBySqlState(String sqlState, StoreException.Kind expected) {
        SQLException cause = new SQLException("boom", sqlState);

        StoreException e = StoreException.from(cause);

        assertEquals(expected, e.kind());
        assertSame(cause, e.getCause());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }

    @Test
    void aPartitionConstraintOfTheDefaultPartitionIsALostRaceOtherCheckViolationsAreRejected() {
        SQLException raced = new SQLException("ERROR: new row for relation \"events_default\" violates partition "
                + "constraint\n  Detail: Failing row contains (1, t, e, ...)", "23514");
        SQLException other = new SQLException("ERROR: new row for relation \"events\" violates check constraint "
                + "\"events_amount_check\"", "23514");

        assertEquals(CONFLICT, StoreException.from(raced).kind());
        assertEquals(REJECTED, StoreException.from(other).kind());
    }

    @Test
    void messageNamesTheSqlState() {
        assertEquals("store failed (SQLSTATE 40P01): deadlock detected",
                StoreException.from(new SQLException("deadlock detected", "40P01")).getMessage());
    }

    @Test
    void classifyLooksThroughWrappingToANestedSqlException() {
        SQLException sql = new SQLException("unique", "23505");
        Throwable wrapped = new RuntimeException("ejb", new IllegalStateException("tx", new CompletionException(sql)));

        StoreException e = StoreException.classify(wrapped);

        assertEquals(REJECTED, e.kind());
        assertSame(sql, e.getCause());
    }

    @Test
    void classifyAcceptsTheSqlExceptionItself() {
        assertEquals(CONFLICT, StoreException.classify(new SQLException("deadlock", "40P01")).kind());
        assertEquals(UNAVAILABLE, StoreException.classify(new SQLTransientConnectionException("down", "08001"))
                .kind());
    }

    @Test
    void classifyReturnsANestedStoreExceptionUnchanged() {
        StoreException store = new StoreException(CONFLICT, "raced", new SQLException("unique", "23505"));

        assertSame(store, StoreException.classify(new RuntimeException("ejb", new RuntimeException(store))));
        assertSame(store, StoreException.classify(store));
    }

    @Test
    void classifyTakesTheOutermostClassifiableCause() {
        SQLException outer = new SQLException("serialization", "40001", new SQLException("inner", "08006"));

        assertEquals(CONFLICT, StoreException.classify(new RuntimeException(outer)).kind());
    }

    @Test
    void failureWithNoSqlCauseIsUnavailable() {
        RuntimeException failure = new RuntimeException("transaction timed out", new IllegalStateException());

        StoreException e = StoreException.classify(failure);

        assertEquals(UNAVAILABLE, e.kind());
        assertSame(failure, e.getCause());
    }

    @ParameterizedTest(name = "COMMIT failing with SQLSTATE {0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
            "08006, UNCONFIRMED",  // connection lost during COMMIT (pgjdbc's I/O error)
            "08003, UNCONFIRMED",  // connection closed under it
            "08007, UNCONFIRMED",  // transaction resolution unknown
            "57P01, UNCONFIRMED",  // terminated by an administrator (pg_terminate_backend), after committing locally
            "57P02, UNCONFIRMED",  // crash shutdown
            "NULL,  UNCONFIRMED",  // driver gave no state
            "40001, CONFLICT",     // serialization failure at commit: rolled back
            "23505, REJECTED"})    // deferred unique violation at commit: rolled back
    void fromCommitTellsAnUnknownOutcomeFromARollback(String sqlState, StoreException.Kind expected) {
        SQLException cause = new SQLException("boom", sqlState);

        StoreException e = StoreException.fromCommit(cause);

        assertEquals(expected, e.kind());
        assertSame(cause, e.getCause());
    }

    @Test
    void classifyKeepsAnUnconfirmedCommit() {
        StoreException unconfirmed = StoreException.fromCommit(new SQLException("I/O error", "08006"));

        assertSame(unconfirmed, StoreException.classify(new RuntimeException("ejb", unconfirmed)));
        assertEquals("unconfirmed (SQLSTATE 08006)", unconfirmed.summary());
    }
}
