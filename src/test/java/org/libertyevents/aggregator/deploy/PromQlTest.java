package org.libertyevents.aggregator.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PromQlTest {

    private static List<String> names(String expression) {
        return PromQl.selectors(expression).stream().map(PromQl.Selector::metric).toList();
    }

    @Test
    void functionsRangesAndGrafanaVariablesAreNotMetrics() {
        assertEquals(List.of("aggregator_events_received_total"),
                names("sum(rate(aggregator_events_received_total[$__rate_interval]))"));
        assertEquals(List.of("a_total"), names("increase(a_total[${__range}]) offset 5m"));
    }

    @Test
    void groupingLabelListsAreNotMetrics() {
        assertEquals(List.of("x_seconds"), names("max by (instance, job) (x_seconds)"));
        assertEquals(List.of("x_seconds"), names("sum without(pod) (x_seconds)"));
        assertEquals(List.of("a", "b"), names("a / on (instance) group_left (topic) b"));
        assertEquals(List.of("a"), names("sum(a) by (instance)"));
    }

    @Test
    void binaryExpressionsYieldEveryOperand() {
        assertEquals(List.of("dup_total", "stored_total", "dup_total"),
                names("sum(rate(dup_total[1m])) / (sum(rate(stored_total[1m])) + sum(rate(dup_total[1m])))"
                        + " > bool 0.5"));
    }

    @Test
    void numbersAndStringsAreNotMetrics() {
        assertEquals(List.of("h_bucket"),
                names("histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m]))) * 1e3"));
        assertEquals(List.of("up"), names("label_replace(up, \"host\", \"$1\", \"instance\", \"(.*):.*\")"));
    }

    @Test
    void equalityMatchersAreKeptAndOthersDropped() {
        List<PromQl.Selector> selectors = PromQl.selectors(
                "max(lat_seconds{quantile=\"0.99\", mp_scope!=\"base\", instance=~\"a.*}\"})");
        assertEquals(List.of(new PromQl.Selector("lat_seconds", Map.of("quantile", "0.99"))), selectors);
    }

    @Test
    void aNameMatcherIsASelector() {
        assertEquals(List.of(new PromQl.Selector("up", Map.of("job", "aggregator"))),
                PromQl.selectors("{__name__=\"up\", job=\"aggregator\"}"));
    }

    @Test
    void malformedExpressionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PromQl.selectors("rate(x{job=\"a\"[1m])"));
        assertThrows(IllegalArgumentException.class, () -> PromQl.selectors("x{job=a}"));
    }
}
