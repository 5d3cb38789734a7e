package it.org.libertyevents.aggregator.support;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis server of the test's own, a child process of the test JVM, for broker-outage tests that must kill and
 * restart the broker without touching the shared Redis on 6379. It listens on 127.0.0.1 at the given port and keeps
 * its data in {@code target/it-redis-<port>} as an append-only file synced on every write
 * ({@code --appendfsync always}), so {@link #kill()} loses nothing acknowledged and {@link #restart()} brings every
 * acknowledged write back. Its log is {@code redis.log} in the same folder.
 *
 * <pre>{@code
 * Assumptions.assumeTrue(OwnRedis.available(), "redis-server is not installed");
 * try (OwnRedis redis = OwnRedis.start(6390)) {
 *     String url = redis.url();      // redis://127.0.0.1:6390
 *     redis.pause();                 // hung: kill -STOP
 *     redis.kill();                  // outage: kill -9
 *     redis.restart();               // back, with its data
 * }
 * }</pre>
 */
public final class OwnRedis implements AutoCloseable {

    private static final long READY_TIMEOUT_MILLIS = 30_000;
    /** Servers a test forgot to close; they die with the JVM rather than hold their port for the next run. */
    private static final Set<Process> live = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> live.forEach(Process::destroyForcibly), "kill-own-redis"));
    }

    private final int port;
    private final Path dir;
    private final List<String> options;
    private Process process;

    private OwnRedis(int port, Path dir, List<String> options) {
        this.port = port;
        this.dir = dir;
        this.options = List.copyOf(options);
    }

    /** Whether {@code redis-server} is on the PATH; tests that need one should be skipped without it. */
    public static boolean available() {
        return executable() != null;
    }

    /**
     * Starts an empty Redis on {@code port}: whatever an earlier run left in its folder is deleted first.
     *
     * @throws IllegalStateException when the port is taken or it does not answer PING within 30 s
     */
    public static OwnRedis start(int port) {
        return start(port, List.of());
    }

    /**
     * Starts an empty Redis on {@code port} with these command-line options besides its own (a cluster node's
     * {@code --cluster-enabled yes}, say).
     */
    public static OwnRedis start(int port, List<String> options) {
        Path dir = Path.of(System.getProperty("user.dir"), "target", "it-redis-" + port).toAbsolutePath();
        OwnRedis redis = new OwnRedis(port, dir, options);
        redis.requireFreePort();   // before emptying the folder, which may be that server's
        deleteTree(dir);
        redis.launch();
        return redis;
    }

    /** {@code redis://127.0.0.1:<port>} */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The folder with its append-only file and {@code redis.log}. */
    public Path dir() {
        return dir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Stops it with SIGSTOP, as a hung host would: connections are still accepted (into the listen backlog), but
     * nothing is answered, so every call waits for its timeout. {@link #kill()} ends it from there at once;
     * {@link #close()} only after its 10 s, since SIGTERM waits for a SIGCONT.
     */
    public synchronized void pause() {
        if (process == null) {
            return;
        }
        try {
            Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).inheritIO().start();
            boolean ended = stop.waitFor(10, TimeUnit.SECONDS);
            if (!ended) {
                stop.destroyForcibly();
            }
            if (!ended || stop.exitValue() != 0) {
                throw new IllegalStateException("kill -STOP " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -STOP", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills it with SIGKILL, as a crash would, and waits until the process is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(10);
        live.remove(process);
        process = null;
    }

    /**
     * Starts it again on the same port and folder, after a {@link #kill()} or {@link #close()}; the append-only file
     * brings its data back. If it still runs, it is killed first.
     */
    public synchronized void restart() {
        kill();
        launch();
    }

    /** Stops it with SIGTERM (Redis shuts down cleanly), or SIGKILL after 10 s. The folder is kept for a look. */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                awaitExit(10);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        live.remove(process);
        process = null;
    }

    private synchronized void launch() {
        String executable = executable();
        if (executable == null) {
            throw new IllegalStateException("redis-server is not on the PATH; check OwnRedis.available() first");
        }
        requireFreePort();
        File log = dir.resolve("redis.log").toFile();
        try {
            Files.createDirectories(dir);
            Files.writeString(log.toPath(), "=== OwnRedis starting on port " + port + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            List<String> command = new ArrayList<>(List.of(executable,
                    "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--appendonly", "yes", "--appendfsync", "always",
                    "--dir", dir.toString(), "--save", "", "--daemonize", "no"));
            command.addAll(options);
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .start();
            live.add(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable, e);
        }
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                live.remove(process);
                Process dead = process;
                process = null;
                throw new IllegalStateException("redis-server on port " + port + " exited with "
                        + dead.exitValue() + "; " + tail(log));
            }
            if (pong()) {
                return;
            }
            sleep(100);
        }
        process.destroyForcibly();
        awaitExit(10);
        live.remove(process);
        process = null;
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + READY_TIMEOUT_MILLIS / 1000 + " s; " + tail(log));
    }

    /** PONG, not just a connection: while it loads its append-only file Redis answers -LOADING. */
    private boolean pong() {
        try (Jedis jedis = new Jedis("127.0.0.1", port, DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(500).socketTimeoutMillis(1000).build())) {
            return "PONG".equals(jedis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    private void requireFreePort() {
        if (answers()) {
            throw new IllegalStateException("something already listens on 127.0.0.1:" + port);
        }
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitExit(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server on port " + port + " still runs " + seconds
                        + " s after it was killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String executable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }

    private static String tail(File log) {
        try {
            List<String> lines = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
            return "last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "see " + log;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
