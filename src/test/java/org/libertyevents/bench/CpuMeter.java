package org.libertyevents.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where the CPU of one measured phase went: the server process, and of it its JIT compiler and garbage collector
 * threads, PostgreSQL (every process named {@code postgres}) and this JVM, the load generator. Read from
 * {@code /proc} at the start and at the end of the phase; NaN where a figure is not available (no pid, not Linux).
 */
final class CpuMeter {

    private static final long CLOCK_TICKS_PER_SECOND = 100;  // USER_HZ, 100 on every Linux architecture we run on
    private static final Path PROC = Path.of("/proc");
    /** HotSpot's thread names, as {@code comm} holds them (cut to 15 characters). */
    private static final List<String> JIT_THREADS = List.of("C1 CompilerThre", "C2 CompilerThre");
    private static final List<String> GC_THREADS = List.of("GC Thread#", "G1 ");

    private final OptionalLong serverPid;
    private final long startNanos;
    private final double startServer;
    private final double startPostgres;
    private final double startLoad;
    private final double startJit;
    private final double startGc;

    private CpuMeter(OptionalLong serverPid) {
        this.serverPid = serverPid;
        this.startServer = server();
        this.startJit = serverThreads(JIT_THREADS);
        this.startGc = serverThreads(GC_THREADS);
        this.startPostgres = postgres();
        this.startLoad = load();
        this.startNanos = System.nanoTime();
    }

    /**
     * The CPU seconds of one phase and its length in seconds. The server's JIT and GC seconds are those of its
     * threads alive at the end of the phase: a compiler thread HotSpot stops in between takes its seconds along, so
     * the JIT share is a lower bound.
     */
    record Shares(double seconds, double serverSeconds, double postgresSeconds, double loadSeconds,
                  double serverJitSeconds, double serverGcSeconds) {

        double postgresCores() {
            return postgresSeconds / seconds;
        }

        double loadCores() {
            return loadSeconds / seconds;
        }
    }

    static CpuMeter start(OptionalLong serverPid) {
        return new CpuMeter(serverPid);
    }

    Shares stop() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Shares(seconds, server() - startServer, postgres() - startPostgres, load() - startLoad,
                serverThreads(JIT_THREADS) - startJit, serverThreads(GC_THREADS) - startGc);
    }

    /** A process's user and system CPU seconds ({@code utime + stime}), NaN when it cannot be read. */
    static double processSeconds(long pid) {
        long[] ticks = ticks(pid);
        return ticks == null ? Double.NaN : (ticks[0] + ticks[1]) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** The first live process with this command name ({@code /proc/<pid>/comm}). */
    static OptionalLong pidOf(String command) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                if (command.equals(comm(process))) {
                    return OptionalLong.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }

    private double server() {
        return serverPid.isPresent() ? processSeconds(serverPid.getAsLong()) : Double.NaN;
    }

    /** The CPU seconds of the server's threads whose name starts with one of {@code prefixes}. */
    private double serverThreads(List<String> prefixes) {
        if (serverPid.isEmpty()) {
            return Double.NaN;
        }
        long total = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(PROC.resolve(serverPid.getAsLong() + "/task"))) {
            for (Path thread : threads) {
                String name = comm(thread);
                if (prefixes.stream().noneMatch(name::startsWith)) {
                    continue;
                }
                long[] ticks = ticks(PROC.relativize(thread).toString());
                if (ticks != null) {
                    total += ticks[0] + ticks[1];
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total / (double) CLOCK_TICKS_PER_SECOND;
    }

    /**
     * Every postgres process's own CPU plus that of its children it has reaped ({@code cutime + cstime}). The
     * postmaster reaps its backends, so a backend that ends during the phase still counts: its CPU moves from its
     * own entry to the postmaster's children's. A process that starts during the phase counts from zero. What
     * escapes is a process that ends between our reads of two others, and anything whose parent is not postgres.
     */
    private static double postgres() {
        long total = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                if (!"postgres".equals(comm(process))) {
                    continue;
                }
                long[] ticks = ticks(Long.parseLong(process.getFileName().toString()));
                if (ticks != null) {
                    total += ticks[0] + ticks[1] + ticks[2] + ticks[3];
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total / (double) CLOCK_TICKS_PER_SECOND;
    }

    private static double load() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os && os.getProcessCpuTime() >= 0) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static String comm(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip();
        } catch (IOException e) {
            return "";  // ended while we looked
        }
    }

    /** utime, stime, cutime, cstime in clock ticks, or null when the process is gone. */
    private static long[] ticks(long pid) {
        return ticks(Long.toString(pid));
    }

    /** The same for {@code /proc/<path>/stat}: a process, or a thread as {@code <pid>/task/<tid>}. */
    private static long[] ticks(String path) {
        try {
            String stat = Files.readString(PROC.resolve(path + "/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                    Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
