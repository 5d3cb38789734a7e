package org.libertyevents.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's side of a scenario: CPU it used, the most heap it had in use (sampled from {@code /metrics}), its
 * live heap after a full GC at the end (forced with {@code jcmd}, the one true after-GC figure: {@code /metrics}
 * only has heap in use, garbage included) and its peak RSS ({@code VmHWM}, reset at the start). The figures that
 * need the process are left out when its pid is unknown. A server that is not a JVM ({@link #process}) has CPU and
 * RSS only.
 */
final class ServerProbe {

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private final String target;
    private final OptionalLong pid;
    private final boolean jvm;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private long startNanos;
    private double startCpuSeconds;
    private volatile long peakHeapBytes;
    private volatile boolean sampling;
    private Thread sampler;

    ServerProbe(String target, OptionalLong pid) {
        this(target, pid, true);
    }

    private ServerProbe(String target, OptionalLong pid, boolean jvm) {
        this.target = target;
        this.pid = pid;
        this.jvm = jvm;
    }

    /** A probe of a server that is not a JVM (nats-server): no {@code /metrics}, no heap. */
    static ServerProbe process(OptionalLong pid) {
        return new ServerProbe(null, pid, false);
    }

    /** Server figures of one scenario; NaN where unknown. Sizes in MiB, CPU in cores busy on average. */
    record Figures(double cpuCores, double heapPeakMiB, double heapAfterGcMiB, double rssPeakMiB) {
    }

    void start() {
        pid.ifPresent(p -> {
            try {
                Files.writeString(Path.of("/proc/" + p + "/clear_refs"), "5");  // resets VmHWM to the current RSS
            } catch (IOException e) {
                // not allowed here: the peak then covers the process's life, still an upper bound
            }
        });
        startCpuSeconds = cpuSeconds();
        startNanos = System.nanoTime();
        peakHeapBytes = 0;
        sampling = jvm;
        sampler = new Thread(() -> {
            while (sampling) {
                double used = metric("memory.usedHeap", "memory_usedHeap_bytes");
                if (!Double.isNaN(used)) {
                    peakHeapBytes = Math.max(peakHeapBytes, (long) used);
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-probe");
        sampler.setDaemon(true);
        if (jvm) {
            sampler.start();
        }
    }

    Figures stop() {
        double cpu = (cpuSeconds() - startCpuSeconds) / ((System.nanoTime() - startNanos) / 1e9);
        sampling = false;
        sampler.interrupt();
        try {
            sampler.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double rss = pid.isPresent() ? statusKiB(pid.getAsLong(), "VmHWM") / 1024.0 : Double.NaN;
        return new Figures(cpu, peakHeapBytes == 0 ? Double.NaN : peakHeapBytes / 1048576.0, heapAfterGc(), rss);
    }

    private double cpuSeconds() {
        if (pid.isPresent()) {
            return CpuMeter.processSeconds(pid.getAsLong());
        }
        return jvm ? metric("cpu.processCpuTime", "cpu_processCpuTime_seconds") : Double.NaN;
    }

    private double heapAfterGc() {
        if (pid.isEmpty() || !jvm) {
            return Double.NaN;
        }
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(pid.getAsLong()), "GC.run");
        Matcher used = HEAP_USED.matcher(run(jcmd, Long.toString(pid.getAsLong()), "GC.heap_info"));
        return used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static long statusKiB(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        return 0;
    }

    /** The value of the first sample of a Prometheus metric on {@code /metrics}, NaN when absent. */
    /**
     * One base metric: {@code registered} names it for {@code /metrics}, which then writes only it (a whole scrape
     * several times a second would count in the server's CPU), {@code exposed} is its Prometheus name.
     */
    private double metric(String registered, String exposed) {
        try {
            URI uri = URI.create(target + "/metrics?scope=base&name=" + registered);
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                if (line.startsWith(exposed + " ") || line.startsWith(exposed + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Double.NaN;
    }
}
