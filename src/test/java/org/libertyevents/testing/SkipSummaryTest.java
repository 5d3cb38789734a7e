package org.libertyevents.testing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SkipSummaryTest {

    @Test
    void nothingSkippedIsNoLine() {
        assertEquals("", new SkipSummary().line());
    }

    @Test
    void oneLineNamesEachClassOnceWithItsReasonsInTheOrderSkipped() {
        SkipSummary summary = new SkipSummary();
        summary.add("it.org.libertyevents.aggregator.embedded.DashboardBrowserIT",
                "Assumption failed: no chromium on PATH");
        summary.add("org.libertyevents.aggregator.deploy.MonitoringConfigTest", "promtool not on PATH");
        summary.add("it.org.libertyevents.aggregator.embedded.DashboardBrowserIT", "no chromium on PATH");
        summary.add("org.libertyevents.aggregator.deploy.MonitoringConfigTest", "another\n  reason ");

        assertEquals("SKIPPED: DashboardBrowserIT (no chromium on PATH), "
                + "MonitoringConfigTest (promtool not on PATH; another reason)", summary.line());
    }

    @Test
    void nestedClassesAndMissingReasonsAreNamed() {
        SkipSummary summary = new SkipSummary();
        summary.add("a.b.OuterTest$Inner", null);
        summary.add("SimpleIT", "Assumption failed");
        summary.add("SimpleIT", "   ");

        assertEquals("SKIPPED: OuterTest.Inner (no reason given), SimpleIT (no reason given)", summary.line());
    }
}
