package it.org.libertyevents.aggregator.support;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger's arithmetic: what it expects of a topic's counters, and what a check of them reports. */
class LedgerTest {

    private static String event(String id, String payload) {
        return "{\"topic\":\"t\",\"event_id\":\"" + id + "\",\"timestamp\":\"2026-11-21T10:00:00Z\",\"source\":\"s\","
                + "\"payload\":" + payload + "}";
    }

    private static Reply reply(int status, Map<String, List<String>> headers) {
        return new Reply(status, HttpHeaders.of(headers, (name, value) -> true), JsonValue.NULL);
    }

    @Test
    void acknowledgedEventsGiveExactCounters() {
        Ledger ledger = new Ledger();
        ledger.acknowledged("[" + event("1", "{\"a\":10,\"b\":\"x\"}") + "," + event("2", "{}") + "]");
        ledger.acknowledged(event("1", "{\"b\":\"x\",\"a\":10.0}"));
        ledger.acknowledged(event("1", "{\"a\":11,\"b\":\"x\"}"));

        assertEquals(new Ledger.Expected(new Ledger.Range(2, 2), new Ledger.Range(2, 2), new Ledger.Range(1, 1)),
                ledger.expected("t"), "member order and number spelling aside, the same payload is no conflict; "
                        + "both repeats are duplicates");
        assertEquals(4, ledger.acknowledgedEvents("t"));
        assertTrue(ledger.check("t", new Ledger.Counters(2, 2, 1), new long[] {2, 2}).matches());
        assertFalse(ledger.check("t", new Ledger.Counters(2, 1, 1), new long[] {2, 2}).matches(),
                "a conflict left out of the duplicates");
    }

    @Test
    void anAmbiguousAttemptWidensTheBoundsByItsEvents() {
        Ledger ledger = new Ledger();
        String body = "[" + event("1", "{}") + "," + event("2", "{}") + "]";
        ledger.record(body, reply(503, Map.of()));
        ledger.record(body, reply(200, Map.of()));
        ledger.record(event("3", "{}"), reply(502, Map.of()));

        Ledger.Expected expected = ledger.expected("t");
        assertEquals(new Ledger.Range(2, 3), expected.unique(), "id 3 may have been stored, never acknowledged");
        assertEquals(new Ledger.Range(0, 3), expected.duplicates());
        assertEquals(new Ledger.Range(0, 1), expected.conflicts());
        assertEquals(2, ledger.ambiguousAttempts());
        assertTrue(ledger.check("t", new Ledger.Counters(2, 2, 0), new long[] {2, 2}).matches(),
                "the first attempt committed before its 503");
    }

    @Test
    void refusalsAndReplaysCountNothing() {
        Ledger ledger = new Ledger();
        ledger.record(event("1", "{}"), reply(200, Map.of()));
        ledger.record(event("1", "{}"), reply(200, Map.of("Idempotent-Replayed", List.of("true"))));
        ledger.record(event("2", "{}"), reply(422, Map.of()));
        ledger.record(event("3", "{}"), reply(429, Map.of()));

        assertEquals(new Ledger.Expected(new Ledger.Range(1, 1), new Ledger.Range(0, 0), new Ledger.Range(0, 0)),
                ledger.expected("t"));
        assertEquals(0, ledger.ambiguousAttempts());
    }

    @Test
    void aCheckReportsEachWayTheServiceCanDiffer() {
        Ledger ledger = new Ledger();
        ledger.acknowledged("[" + event("1", "{}") + "," + event("2", "{}") + "," + event("1", "{}") + "]");

        Ledger.Check countedTwice = ledger.check("t", new Ledger.Counters(3, 0, 0), new long[] {2, 2});
        assertFalse(countedTwice.matches());
        assertEquals(1, countedTwice.uniqueDrift());
        assertEquals(-1, countedTwice.duplicateDrift());
        assertEquals(1, countedTwice.uniqueVsRows());
        assertEquals(3, countedTwice.counterDrift());

        Ledger.Check missing = ledger.check("t", new Ledger.Counters(1, 2, 0), new long[] {1, 1});
        assertEquals(1, missing.lost());
        assertEquals(0, missing.doubled());
        assertEquals(2, missing.counterDrift(), "unique one short, duplicates one over");

        Ledger.Check extraRow = ledger.check("t", new Ledger.Counters(2, 1, 0), new long[] {3, 3});
        assertEquals(1, extraRow.doubled());
        assertEquals(-1, extraRow.uniqueVsRows(), "a row the unique counter does not count");
        assertFalse(extraRow.matches());
    }
}
