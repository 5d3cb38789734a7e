package it.org.libertyevents.aggregator.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A Prometheus server of the test's own, a child process of the test JVM: Debian's {@code prometheus} binary found
 * on the PATH ({@code .ci/run} extracts it beside {@code promtool}), scraping one aggregator as job
 * {@code aggregator} every second and evaluating the given rule files every second. It listens on 127.0.0.1 at the
 * given port and keeps its data in a temporary folder, deleted on {@link #close()}; its configuration and log are
 * in {@code target/it-prometheus-<port>}.
 */
public final class OwnPrometheus implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path data;
    private final Path log;
    private final String base;

    private OwnPrometheus(Process process, Path data, Path log, String base) {
        this.process = process;
        this.data = data;
        this.log = log;
        this.base = base;
    }

    /**
     * The {@code prometheus} executable on the PATH. Without one, a developer machine skips the calling test; in CI
     * (environment {@code CI} set) it fails instead, since .ci/run provides it.
     */
    public static Path require() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("prometheus is not on the PATH; .ci/run extracts it from Debian's package");
            }
            Assumptions.abort("prometheus is not on the PATH (.ci/run extracts it from Debian's prometheus package"
                    + " into ~/.cache/liberty-event-aggregator/prometheus/usr/bin)");
        }
        return found.get();
    }

    /**
     * Starts Prometheus on {@code port}, scraping {@code target} ({@code host:port}) at {@code /metrics}, and waits
     * until it is ready.
     *
     * @throws IllegalStateException when it is not ready within 30 s
     */
    public static OwnPrometheus start(int port, String target, List<Path> ruleFiles) throws IOException {
        Path executable = require();
        requireFreePort(port);
        Path dir = Path.of(System.getProperty("user.dir"), "target", "it-prometheus-" + port).toAbsolutePath();
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                %s
                scrape_configs:
                  - job_name: aggregator
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["%s"]
                """.formatted(ruleFiles.stream().map(f -> "  - \"" + f.toAbsolutePath() + "\"")
                .collect(Collectors.joining("\n")), target));
        Path data = Files.createTempDirectory("it-prometheus-data");
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(executable.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // Dies with the JVM should a test not close it, rather than hold the port for the next run.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-own-prometheus"));
        OwnPrometheus prometheus = new OwnPrometheus(process, data, log, "http://127.0.0.1:" + port);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("prometheus exited: " + prometheus.logTail());
                        }
                        return prometheus.get("/-/ready").statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            prometheus.close();
            throw new IllegalStateException("prometheus is not ready on port " + port + ": " + prometheus.logTail(),
                    e);
        }
        return prometheus;
    }

    private static void requireFreePort(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            throw new IllegalStateException("port " + port + " is taken (a Prometheus left by an earlier run?)");
        } catch (IOException expected) {
            // nothing listens there
        }
    }

    /** The {@code data} of an instant query at {@code time} (Unix seconds), or at the latest time when null. */
    public JsonObject query(String promql, Double time) {
        String url = "/api/v1/query?query=" + Api.encode(promql) + (time == null ? "" : "&time=" + time);
        return api(url);
    }

    /** The vector an instant query answers now. */
    public JsonArray vector(String promql) {
        return query(promql, null).getJsonArray("result");
    }

    /** The rule groups Prometheus loaded, with each rule's state, health and last error. */
    public JsonArray ruleGroups() {
        return api("/api/v1/rules").getJsonArray("groups");
    }

    /** The last lines of Prometheus's own log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private JsonObject api(String pathAndQuery) {
        HttpResponse<String> response = get(pathAndQuery);
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            JsonObject answer = reader.readObject();
            if (response.statusCode() != 200 || !"success".equals(answer.getString("status", ""))) {
                throw new AssertionError(pathAndQuery + " answered " + response.statusCode() + ": " + answer);
            }
            return answer.getJsonObject("data");
        }
    }

    private HttpResponse<String> get(String pathAndQuery) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops it (SIGTERM, then SIGKILL after 10 s) and deletes its data. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Label values of one series of a query's vector. */
    public static Map<String, String> labels(JsonObject series) {
        return series.getJsonObject("metric").entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((JsonString) e.getValue()).getString()));
    }

    /** The value of one series of a query's vector. */
    public static double value(JsonObject series) {
        return Double.parseDouble(series.getJsonArray("value").getString(1));
    }
}
