package org.libertyevents.testing;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tests a run skipped (aborted: an assumption failed), by test class with their reasons, as one line:
 * {@code SKIPPED: DashboardBrowserIT (chromium is not installed), MonitoringConfigTest (promtool is not on the PATH)}.
 * Classes in the order they were first skipped, each reason once per class.
 */
public final class SkipSummary {

    private static final String ASSUMPTION_PREFIX = "Assumption failed: ";

    private final Map<String, Set<String>> reasons = new LinkedHashMap<>();

    /**
     * Records a skip.
     *
     * @param testClass the test's class, fully qualified ({@code a.b.Outer$Inner}) or simple
     * @param reason    the abort's message, or null
     */
    public synchronized void add(String testClass, String reason) {
        reasons.computeIfAbsent(simpleName(testClass), name -> new LinkedHashSet<>()).add(reason(reason));
    }

    /** The summary line, or an empty string when nothing was skipped. */
    public synchronized String line() {
        if (reasons.isEmpty()) {
            return "";
        }
        return reasons.entrySet().stream()
                .map(entry -> entry.getKey() + " (" + String.join("; ", entry.getValue()) + ")")
                .collect(Collectors.joining(", ", "SKIPPED: ", ""));
    }

    private static String simpleName(String testClass) {
        return testClass.substring(testClass.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** One line however the message was written, without JUnit's "Assumption failed: " prefix. */
    private static String reason(String message) {
        String reason = message == null ? "" : message.strip().replaceAll("\\s+", " ");
        if (reason.startsWith(ASSUMPTION_PREFIX)) {
            reason = reason.substring(ASSUMPTION_PREFIX.length()).strip();
        }
        return reason.isEmpty() || reason.equals("Assumption failed") ? "no reason given" : reason;
    }
}
