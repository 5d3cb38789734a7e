package org.libertyevents.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** Runs sample classes on a JUnit Platform launcher of its own and reads what the listener prints. */
class SkipReportListenerTest {

    @Test
    void abortedTestsAndClassesAreNamedInOneLineAtTheEnd() {
        assertEquals("SKIPPED: SkipReportListenerTest.SkipsOneTest (no chromium on PATH), "
                + "SkipReportListenerTest.SkipsTheClass (promtool not on PATH)\n",
                run(SkipsOneTest.class, SkipsTheClass.class));
    }

    @Test
    void passingFailingAndDisabledTestsPrintNothing() {
        assertEquals("", run(SkipsNothing.class));
    }

    private static String run(Class<?>... classes) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        var selectors = Arrays.stream(classes).map(DiscoverySelectors::selectClass).toList();
        // Without the registered listeners, so that the samples' skips are not reported as this run's.
        LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        LauncherFactory.create(config).execute(request().selectors(selectors).build(), new SkipReportListener(out));
        return printed.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    /** A sample: one test passes, one is skipped by an assumption. Run only through {@link #run}. */
    static class SkipsOneTest {
        @Test
        void passes() {
        }

        @Test
        void needsChromium() {
            Assumptions.assumeTrue(false, "no chromium on PATH");
        }
    }

    /** A sample whose class aborts before its tests. */
    static class SkipsTheClass {
        @BeforeAll
        static void needsPromtool() {
            Assumptions.abort("promtool not on PATH");
        }

        @Test
        void neverRuns() {
        }
    }

    /** A sample with no aborted test: a failure and a disabled test are no skips of a suite. */
    static class SkipsNothing {
        @Test
        void passes() {
        }

        @Test
        void fails() {
            throw new AssertionError("a failure, reported as one");
        }

        @Test
        @Disabled("disabled on purpose")
        void disabled() {
        }
    }
}
