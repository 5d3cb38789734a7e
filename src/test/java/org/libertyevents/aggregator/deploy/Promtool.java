package org.libertyevents.aggregator.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prometheus's own checker, {@code promtool}, found on the PATH. A developer machine without it skips the checks
 * that need it; in CI (environment {@code CI} set) they fail instead, since .ci/run provides it.
 */
final class Promtool {

    private Promtool() {
    }

    /** Runs {@code promtool args...} and asserts it succeeds; returns what it printed. */
    static String check(String... args) throws IOException, InterruptedException {
        Path promtool = find().orElse(null);
        if (promtool == null) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("promtool is not on the PATH; .ci/run installs it");
            }
            Assumptions.abort("promtool is not on the PATH");
        }
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish within 60 s");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    private static Optional<Path> find() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
