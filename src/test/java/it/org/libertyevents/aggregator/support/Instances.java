package it.org.libertyevents.aggregator.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Extra aggregator instances beside the integration-test server, for tests that need several replicas or kill one.
 * They run through {@code src/main/scripts/instances.sh}, the same script users run: instance {@code n} is the
 * Liberty server {@code <it.server.name>-<n>}, a copy of the integration-test server (same application, same
 * database settings), listening on HTTP port {@code it.instances.base.http.port + n} (default 9380 + n) and HTTPS
 * port {@code it.instances.base.https.port + n} (default 9780 + n).
 *
 * <p>An instance runs with the integration-test server's own configuration plus the environment given to
 * {@link #start}, which wins over it. Application settings in this JVM's own environment ({@code DB_*},
 * {@code REDIS_*} and the other names the script passes on) are not handed down, so a developer's shell cannot
 * point an instance at another database than the server under test. Instances this JVM started and did not stop
 * are stopped when it exits.
 *
 * <p>Instances share the server's data only on PostgreSQL: copied from the H2 server, an instance gets an embedded
 * database of its own, and the script refuses a second one. Multi-instance tests belong to the PostgreSQL suite
 * ({@link ItDatabase#isPostgres()}).
 *
 * <p>Output of every script run is appended to {@code target/liberty/it-instance-<n>.log}; a failure's exception
 * quotes its last lines.
 */
public final class Instances {

    /** The variables instances.sh hands to the instances; see its usage text. */
    private static final Pattern PASSED_ENV =
            Pattern.compile("(DB|REDIS|BROKER|INGEST|PUBLISH|PUBLISHER|SCHEMA|METRICS|API|CLOUDEVENTS|CONFLICTS"
                    + "|IDEMPOTENCY|EVENTS|DEDUP|RETENTION|SUBSCRIPTIONS|OTEL)_[A-Za-z0-9_]*|AGGREGATOR_(URL|API_KEY)");
    private static final int READY_TIMEOUT_SECONDS = 120;
    private static final Set<Integer> started = new TreeSet<>();
    private static boolean stopOnExit;

    private Instances() {
    }

    /**
     * Starts instance {@code n} unless it runs, and waits until it is ready.
     *
     * @param n   instance number, 1 or more
     * @param env settings for the instance, as environment variables ({@code INGEST_WRITERS}, {@code REDIS_URL}...),
     *            over the integration-test server's own
     * @return the instance's base URL, such as {@code http://localhost:9381}
     * @throws IllegalStateException when it is not ready within 120 s (the script then stops it)
     */
    public static String start(int n, Map<String, String> env) {
        synchronized (Instances.class) {
            if (!stopOnExit) {
                Runtime.getRuntime().addShutdownHook(new Thread(Instances::stopStarted, "stop-instances"));
                stopOnExit = true;
            }
            started.add(checked(n));
        }
        run("it-instance-" + n, env, READY_TIMEOUT_SECONDS + 60, "start-one", Integer.toString(n));
        return url(n);
    }

    /** Stops instance {@code n} gracefully (its accepted events commit first); a stopped instance is left alone. */
    public static void stop(int n) {
        run("it-instance-" + checked(n), Map.of(), 120, "stop-one", Integer.toString(n));
        synchronized (Instances.class) {
            started.remove(n);
        }
    }

    /**
     * Kills instance {@code n}'s JVM with {@code kill -9}: no drain, no orderly shutdown. {@link #start} brings it
     * back.
     *
     * @throws IllegalStateException when it is not running
     */
    public static void kill(int n) {
        run("it-instance-" + checked(n), Map.of(), 30, "kill", Integer.toString(n));
    }

    /** SIGSTOPs instance {@code n}'s JVM: it holds its connections and entries, and does nothing, until resumed. */
    public static void pause(int n) {
        run("it-instance-" + checked(n), Map.of(), 30, "pause", Integer.toString(n));
    }

    /** SIGCONTs instance {@code n}'s JVM after {@link #pause}. */
    public static void resume(int n) {
        run("it-instance-" + checked(n), Map.of(), 30, "resume", Integer.toString(n));
    }

    /** The folder of instance {@code n}'s server logs ({@code messages.log} and the ones rotated at restarts). */
    public static Path logs(int n) {
        return Path.of(required("it.wlp.dir"), "usr", "servers", required("it.server.name") + "-" + checked(n), "logs");
    }

    /** The base URL of instance {@code n}, such as {@code http://localhost:9381}; it need not be running. */
    public static String url(int n) {
        return "http://localhost:" + (Integer.getInteger("it.instances.base.http.port", 9380) + checked(n));
    }

    private static int checked(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("instance numbers start at 1: " + n);
        }
        return n;
    }

    private static void stopStarted() {
        List<String> args = new ArrayList<>(List.of("stop-one"));
        synchronized (Instances.class) {
            if (started.isEmpty()) {
                return;
            }
            started.forEach(n -> args.add(Integer.toString(n)));
        }
        try {
            run("it-instances-exit", Map.of(), 60, args.toArray(String[]::new));
        } catch (RuntimeException e) {
            System.err.println("could not stop the extra instances " + args.subList(1, args.size()) + ": " + e);
        }
    }

    private static void run(String logName, Map<String, String> env, int timeoutSeconds, String... args) {
        String wlp = required("it.wlp.dir");
        Path script = Path.of(System.getProperty("user.dir"), "src", "main", "scripts", "instances.sh");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException(script + " is missing or not executable (user.dir must be the project root)");
        }
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        File log = new File(wlp, "../" + logName + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> PASSED_ENV.matcher(name).matches());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("WLP_DIR", wlp);
        environment.put("TEMPLATE", required("it.server.name"));
        environment.put("BASE_HTTP_PORT", Integer.toString(Integer.getInteger("it.instances.base.http.port", 9380)));
        environment.put("BASE_HTTPS_PORT", Integer.toString(Integer.getInteger("it.instances.base.https.port", 9780)));
        environment.put("READY_TIMEOUT", Integer.toString(READY_TIMEOUT_SECONDS));
        environment.putAll(env);
        String what = String.join(" ", args) + " (" + environment.get("TEMPLATE") + ")";
        try {
            Files.writeString(log.toPath(), "=== " + Instant.now() + " instances.sh " + what + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("instances.sh " + what + " did not finish in " + timeoutSeconds
                        + " s; " + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("instances.sh " + what + " exited with " + process.exitValue()
                        + "; " + tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running instances.sh " + what, e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (the failsafe configuration sets it)");
        }
        return value;
    }

    private static String tail(File log) {
        try {
            List<String> lines = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
            return "last lines of " + log.getCanonicalPath() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "see " + log + " (" + e.getMessage() + ")";
        }
    }
}
