package org.libertyevents.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The minimal JAX-RS ceiling: the Liberty server {@code bench-jaxrs} (created by the bench profile on the same
 * runtime as the aggregator's, features restfulWS and cdi only) whose {@code POST /publish} reads the body and
 * answers a constant JSON, driven exactly as the single scenario's closed loop drives the aggregator (same load
 * driver, events, connections, warm-up and duration). It listens on {@code bench.base.http.port} itself (instance
 * numbers start at 1) and runs only while it is measured.
 */
final class JaxrsCeiling {

    static final String SERVER = "bench-jaxrs";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final BenchSettings settings;
    private final Scenarios scenarios;

    JaxrsCeiling(BenchSettings settings, Scenarios scenarios) {
        this.settings = settings;
        this.scenarios = scenarios;
    }

    /** Requests per second of the closed loop, and the server's CPU per request in it. */
    record Measured(double requestsPerSecond, double serverMicrosPerRequest) {
    }

    Measured measure() throws IOException {
        Path servers = settings.wlpDir().resolve("usr/servers");
        if (!Files.isRegularFile(servers.resolve(SERVER + "/server.xml"))) {
            throw new IllegalStateException("no server " + SERVER + " in " + servers
                    + ": run the benchmark through the Maven profile (./mvnw -Pbench verify -DskipTests)");
        }
        String url = "http://127.0.0.1:" + settings.baseHttpPort();
        server("stop", false);  // left running by an interrupted run, it would hold the port
        server("start", true);
        try {
            awaitAnswering(url);
            scenarios.warmUp(new Target(url), "jaxrs-ceiling", 1, settings.singleClients(), false);
            OptionalLong pid = BenchServers.pid(servers.resolve(".pid/" + SERVER + ".pid"));
            CpuMeter cpu = CpuMeter.start(pid);
            LoadDriver.Outcome outcome = new LoadDriver(url, new EventSet(scenarios.prefix("jaxrs-ceiling")), 1, false)
                    .closedLoop(settings.singleClients(), settings.duration(), scenarios.maxRequests(1));
            CpuMeter.Shares shares = cpu.stop();
            if (outcome.errors() > 0) {
                throw new IllegalStateException(SERVER + " answered " + outcome.errors() + " requests with errors, "
                        + "first: " + outcome.firstError());
            }
            return new Measured(outcome.requestsPerSecond(), shares.serverSeconds() * 1e6 / outcome.requests());
        } finally {
            server("stop", false);
        }
    }

    private void awaitAnswering(String url) {
        byte[] body = new EventSet(scenarios.prefix("jaxrs-ceiling-ready")).body(0, 1);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (long attempt = 0, attempts = START_TIMEOUT.toMillis() / 250 + 1; attempt < attempts; attempt++) {
            try (HttpConnection connection = new HttpConnection(url, false)) {
                if (connection.publish(body).status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(250);  // polled, as the aggregator's readiness is
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(SERVER + " does not answer POST /publish after "
                + START_TIMEOUT.toSeconds() + " s");
    }

    /** Runs {@code bin/server <action> bench-jaxrs} with the aggregator servers' JVM and JVM options. */
    private void server(String action, boolean mustSucceed) throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JVM_ARGS", settings.serverJvmArgs());
        env.put("BENCH_JAXRS_HTTP_PORT", Integer.toString(settings.baseHttpPort()));
        String what = "server " + action + " " + SERVER;
        List<String> command = List.of(settings.wlpDir().resolve("bin/server").toString(), action, SERVER);
        if (BenchServers.run(command, env, what) != 0 && mustSucceed) {
            throw new IllegalStateException(what + " failed");
        }
    }
}
