package org.libertyevents.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Liberty servers the benchmark starts for itself: copies of the template server {@code aggregator-bench}
 * (created by the {@code bench} Maven profile) run by {@code src/main/scripts/instances.sh}, instance n on HTTP
 * port {@code bench.base.http.port + n}, one at a time so that each scenario has the machine to itself.
 */
final class BenchServers {

    static final String TEMPLATE = "aggregator-bench";
    /** Settings names instances.sh hands to the servers; the caller's own are not passed on by accident. */
    private static final String PASSED =
            "^(APP|DB|REDIS|BROKER|INGEST|PUBLISH|PUBLISHER|SCHEMA|METRICS)_.*|^AGGREGATOR_URL$";

    private final BenchSettings settings;
    private final List<Integer> started = new ArrayList<>();

    BenchServers(BenchSettings settings) {
        this.settings = settings;
    }

    /** One running server: its URL and pid. */
    record Server(int instance, String url, OptionalLong pid) {
    }

    /** Starts instance n on PostgreSQL ({@code dbUrl}) with the Redis broker, or on embedded H2 when null. */
    Server start(int instance, String dbUrl) throws IOException {
        return start(instance, dbUrl, settings.redisUrl());
    }

    /** Starts instance n on PostgreSQL ({@code dbUrl}) with the broker on {@code redisUrl}, or on H2 when null. */
    Server start(int instance, String dbUrl, String redisUrl) throws IOException {
        return start(instance, dbUrl, redisUrl, Map.of());
    }

    /** {@link #start(int, String, String)} with more settings for the server ({@code REDIS_CLUSTER_NODES}...). */
    Server start(int instance, String dbUrl, String redisUrl, Map<String, String> extra) throws IOException {
        Path servers = settings.wlpDir().resolve("usr/servers");
        if (!Files.isRegularFile(servers.resolve(TEMPLATE + "/server.xml"))) {
            throw new IllegalStateException("no template server " + TEMPLATE + " in " + servers
                    + ": run the benchmark through the Maven profile (./mvnw -Pbench verify -DskipTests)");
        }
        Map<String, String> env = environment();
        if (dbUrl != null) {
            env.put("DB_URL", dbUrl);
            env.put("DB_USER", settings.dbUser());
            env.put("DB_PASSWORD", settings.dbPassword());
            env.put("REDIS_URL", redisUrl);
            env.put("BROKER_STREAM", settings.stream());
        } else {
            // The embedded database starts empty: the instance's data directory survives restarts otherwise.
            deleteTree(servers.resolve(TEMPLATE + "-" + instance + "/data"));
        }
        // The template runs the build's loose WAR: Liberty's scan of its files every 500 ms is no cost a deployed
        // WAR has, and would count in the server's CPU per event.
        env.put("APP_UPDATE_TRIGGER", "mbean");
        env.putAll(extra);
        String jvmArgs = settings.serverJvmArgs();
        if (settings.jfr()) {
            Path jfr = settings.out().resolve("jfr");
            Files.createDirectories(jfr);
            jvmArgs += " -XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + jfr.resolve(TEMPLATE + "-" + instance + "-" + settings.runId() + ".jfr");
        }
        env.put("JVM_ARGS", jvmArgs);
        instances(env, "start-one", Integer.toString(instance));
        started.add(instance);
        String url = "http://127.0.0.1:" + (settings.baseHttpPort() + instance);
        return new Server(instance, url, pid(servers.resolve(".pid/" + TEMPLATE + "-" + instance + ".pid")));
    }

    void stop(Server server) throws IOException {
        instances(environment(), "stop-one", Integer.toString(server.instance()));
        started.remove(Integer.valueOf(server.instance()));
    }

    /** Stops whatever this run started and did not stop yet (after a failure). */
    void stopAll() {
        for (Integer instance : List.copyOf(started)) {
            try {
                instances(environment(), "stop-one", Integer.toString(instance));
            } catch (IOException | RuntimeException e) {
                System.err.println("could not stop instance " + instance + ": " + e.getMessage());
            }
        }
        started.clear();
    }

    /** The pid in a Liberty pid file, if the file exists. */
    static OptionalLong pid(Path pidFile) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(name -> name.matches(PASSED) || name.equals("JVM_ARGS"));
        env.put("WLP_DIR", settings.wlpDir().toString());
        env.put("TEMPLATE", TEMPLATE);
        env.put("BASE_HTTP_PORT", Integer.toString(settings.baseHttpPort()));
        env.put("BASE_HTTPS_PORT", Integer.toString(settings.baseHttpsPort()));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(settings.serverEnv());
        return env;
    }

    private void instances(Map<String, String> env, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(settings.instancesScript().toString()));
        command.addAll(List.of(arguments));
        if (run(command, env, "instances.sh " + String.join(" ", arguments)) != 0) {
            throw new IllegalStateException("instances.sh " + String.join(" ", arguments) + " failed");
        }
    }

    /**
     * Runs {@code command} with exactly {@code env}, its output on this process's, and returns its exit value.
     *
     * @throws IllegalStateException when it takes over 300 s ({@code what} names it)
     */
    static int run(List<String> command, Map<String, String> env, String what) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " took over 300 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
