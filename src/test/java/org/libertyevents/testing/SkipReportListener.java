package org.libertyevents.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;

/**
 * Says at the end of a test run, in one line, which tests were skipped and why: a suite that needs a tool this
 * machine lacks (chromium, promtool, redis-server...) aborts, and Maven would report only fewer tests run.
 * Registered for every JUnit run of this module (surefire and failsafe) through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}. In CI nothing is skipped: those
 * tests fail there instead (their own checks of {@code CI}).
 */
public class SkipReportListener implements TestExecutionListener {

    private final SkipSummary summary = new SkipSummary();
    private final PrintStream out;

    /** The listener the JUnit Platform loads, printing to the standard output. */
    public SkipReportListener() {
        this(System.out);
    }

    SkipReportListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            summary.add(className(test), result.getThrowable().map(Throwable::getMessage).orElse(null));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        String line = summary.line();
        if (!line.isEmpty()) {
            out.println(line);
        }
    }

    private static String className(TestIdentifier test) {
        TestSource source = test.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            return method.getClassName();
        }
        if (source instanceof ClassSource type) {
            return type.getClassName();
        }
        return test.getDisplayName();
    }
}
