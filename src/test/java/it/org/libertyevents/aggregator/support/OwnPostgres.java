package it.org.libertyevents.aggregator.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, for database-outage tests that must stop and start the database without
 * touching the shared one on 5432. It is created with the installed server's {@code initdb} in a temporary folder,
 * listens on 127.0.0.1 at the given port, trusts local connections and keeps PostgreSQL's durability settings.
 * As root it runs as the {@code postgres} user, since PostgreSQL refuses to run as root.
 *
 * <pre>{@code
 * try (OwnPostgres postgres = OwnPostgres.start(5442)) {
 *     String url = postgres.createDatabase("outage");   // jdbc:postgresql://127.0.0.1:5442/outage
 *     postgres.stop();                                  // outage: a fast shutdown, as an operator's would be
 *     postgres.stopImmediately();                       // or a crash: immediate mode, recovery on start
 *     postgres.start();                                 // back, with its data
 * }
 * }</pre>
 */
public final class OwnPostgres implements AutoCloseable {

    private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    private final int port;
    private final Path bin;
    private final Path dir;

    private OwnPostgres(int port, Path bin, Path dir) {
        this.port = port;
        this.bin = bin;
        this.dir = dir;
    }

    /** The newest installed server's {@code bin} folder, or {@code null} when there is none. */
    public static Path binaries() {
        try (Stream<Path> versions = Files.list(VERSIONS)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(dir -> Files.isExecutable(dir.resolve("pg_ctl")))
                    .max(Comparator.comparing(dir -> Integer.parseInt(dir.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Creates a cluster in a new temporary folder and starts it on {@code port}. */
    public static OwnPostgres start(int port) {
        try {
            return start(port, Files.createTempDirectory("it-postgres-" + port + "-"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a PostgreSQL folder", e);
        }
    }

    /**
     * Creates a cluster in {@code dir} (a new, empty folder) and starts it on {@code port}, with data checksums, so
     * that {@code pg_rewind} can later turn it into a standby of a promoted one.
     */
    public static OwnPostgres start(int port, Path dir) {
        OwnPostgres postgres = at(port, dir);
        postgres.run(120, postgres.bin.resolve("initdb").toString(), "-D", postgres.data(), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--data-checksums", "--no-instructions");
        postgres.start();
        return postgres;
    }

    /**
     * Starts the cluster kept in {@code dir} on {@code port}, creating it first (as {@link #start(int, Path)}) when the
     * folder holds none: for data worth keeping between runs, such as a benchmark's filled tables. {@link #stop} it
     * rather than {@link #close} it, which deletes the folder.
     */
    public static OwnPostgres open(int port, Path dir) {
        if (!Files.exists(dir.resolve("data").resolve("PG_VERSION"))) {
            return start(port, dir);
        }
        OwnPostgres postgres = at(port, dir);
        postgres.start();
        return postgres;
    }

    /**
     * Copies {@code primary} with {@code pg_basebackup -R} into {@code dir} (a new, empty folder) and starts the copy
     * on {@code port} as its streaming standby, named {@code standby} (its {@code application_name}).
     */
    public static OwnPostgres standbyOf(OwnPostgres primary, int port, Path dir) {
        OwnPostgres standby = at(port, dir);
        standby.run(120, standby.bin.resolve("pg_basebackup").toString(), "-D", standby.data(), "-h", "127.0.0.1",
                "-p", Integer.toString(primary.port), "-U", "postgres", "-R", "-X", "stream", "-c", "fast",
                "-d", "application_name=standby");
        standby.start();
        return standby;
    }

    private static OwnPostgres at(int port, Path dir) {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("no PostgreSQL server binaries under " + VERSIONS);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
        OwnPostgres postgres = new OwnPostgres(port, bin, dir);
        postgres.run(60, "chown", "postgres:postgres", dir.toString());
        return postgres;
    }

    public int port() {
        return port;
    }

    /**
     * Kills the postmaster with SIGKILL, as a crash of the host would end it: no shutdown checkpoint, and its
     * backends exit as soon as they notice it is gone.
     */
    public void killPostmaster() {
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("no postmaster.pid: is it running?", e);
        }
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("no postmaster with pid " + pid));
        postmaster.destroyForcibly();
        postmaster.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    /** Promotes a standby to primary ({@code pg_ctl promote}), waiting until it takes writes. */
    public void promote() {
        run(60, bin.resolve("pg_ctl").toString(), "-D", data(), "-w", "promote");
    }

    /**
     * Turns this stopped (or crashed) former primary into a standby of {@code primary}, as PostgreSQL's documentation
     * has an operator do after a failover: {@code pg_rewind} (which first finishes crash recovery in single-user mode)
     * winds its data back to where the timelines forked, {@code -R} points it at {@code primary}; then it starts.
     */
    public void rewindAsStandbyOf(OwnPostgres primary) {
        run(120, bin.resolve("pg_rewind").toString(), "-D", data(), "-R", "--source-server=host=127.0.0.1 port="
                + primary.port + " user=postgres dbname=postgres application_name=standby");
        start();
    }

    /** Runs a statement as the superuser in the {@code postgres} database, such as {@code ALTER SYSTEM ...}. */
    public void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + " on port " + port, e);
        }
    }

    /** Sets a server parameter with {@code ALTER SYSTEM} (an empty value resets it) and reloads the configuration. */
    public void configure(String parameter, String value) {
        execute(value.isEmpty() ? "ALTER SYSTEM RESET " + parameter
                : "ALTER SYSTEM SET " + parameter + " = '" + value + "'");
        execute("SELECT pg_reload_conf()");
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    /** Starts it (again) and waits until it accepts connections. */
    public void start() {
        run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("postgres.log").toString(), "-w", "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir, "start");
    }

    /** Stops it with a fast shutdown: sessions are ended, transactions in flight roll back. */
    public void stop() {
        run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m", "fast", "stop");
    }

    /**
     * Stops it in immediate mode, as a crash would: no checkpoint, sessions cut off; {@link #start} then runs crash
     * recovery from the write-ahead log.
     */
    public void stopImmediately() {
        run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-m", "immediate",
                "stop");
    }

    /** Runs a query as the superuser in the {@code postgres} database and returns its first column's first value. */
    public String query(String sql) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + " on port " + port, e);
        }
    }

    /** Creates a database and returns its JDBC URL. */
    public String createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement create = connection.createStatement()) {
            create.execute("CREATE DATABASE \"" + name + "\"");
            return url(name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Stops it at once and deletes its folder. */
    @Override
    public void close() {
        try {
            stopImmediately();
        } catch (IllegalStateException alreadyStopped) {
            // Nothing to stop.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    private void run(int timeoutSeconds, String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot() && !command[0].equals("chown")) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        } else if (!isRoot() && command[0].equals("chown")) {
            return;   // the folder is already the current user's
        }
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", line) + " did not finish");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " exited with " + process.exitValue() + ":\n"
                        + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + line, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + line, e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
