package it.org.libertyevents.aggregator.support;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops and starts the integration-test Liberty server the build started, with its own scripts. */
public final class ItServer {

    private ItServer() {
    }

    /** A clean restart: {@code server stop} then {@code server start}, and back to ready. */
    public static void restart() {
        run("stop");
        run("start");
        Api.awaitReady();
    }

    private static void run(String action) {
        String wlp = System.getProperty("it.wlp.dir");
        String server = System.getProperty("it.server.name");
        ProcessBuilder builder = new ProcessBuilder(List.of(wlp + "/bin/server", action, server))
                .redirectErrorStream(true)
                .redirectOutput(new File(wlp, "../it-server-" + action + ".log"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("server " + action + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("server " + action + " exited with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run server " + action, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
