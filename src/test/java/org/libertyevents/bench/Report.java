package org.libertyevents.bench;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a run's results as {@code results.json} and {@code results.md} (the table docs/benchmarks.md shows). */
final class Report {

    private final BenchSettings settings;
    private final Map<String, Double> ceiling;
    private final JaxrsCeiling.Measured jaxrs;
    private final List<Result> results;
    private final String machine;

    /** @param jaxrs the minimal JAX-RS ceiling, null when it was not measured */
    Report(BenchSettings settings, Map<String, Double> ceiling, JaxrsCeiling.Measured jaxrs, List<Result> results,
           String machine) {
        this.settings = settings;
        this.ceiling = ceiling;
        this.jaxrs = jaxrs;
        this.results = results;
        this.machine = machine;
    }

    /** The best ceiling figure, the denominator of every ratio. */
    static double best(Map<String, Double> ceiling) {
        return ceiling.entrySet().stream().filter(e -> e.getKey().startsWith("jdbc_"))
                .mapToDouble(Map.Entry::getValue).max().orElse(Double.NaN);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer out = Files.newBufferedWriter(dir.resolve("results.json"));
             JsonGenerator json = Json.createGeneratorFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
                     .createGenerator(out)) {
            json.writeStartObject()
                    .write("run_id", settings.runId())
                    .write("smoke", settings.smoke())
                    .write("machine", machine)
                    .write("duration_seconds", settings.duration().toMillis() / 1000.0)
                    .write("server_jvm_args", settings.serverJvmArgs())
                    .write("server_env", settings.serverEnv().toString());
            json.writeStartObject("ceiling");
            ceiling.forEach((method, rate) -> json.write(method, rate));
            json.write("best_jdbc_rows_per_second", best(ceiling));
            if (jaxrs != null) {
                json.write("jaxrs_minimal_requests_per_second", jaxrs.requestsPerSecond());
                number(json, "jaxrs_minimal_server_us_per_request", jaxrs.serverMicrosPerRequest());
            }
            json.writeEnd();
            json.writeStartArray("scenarios");
            for (Result result : results) {
                json.writeStartObject().write("name", result.scenario()).write("measures", result.measures());
                if (result.skippedBecause() != null) {
                    json.write("skipped", result.skippedBecause()).writeEnd();
                    continue;
                }
                json.write("counts_exact", result.countProblem() == null);
                if (result.countProblem() != null) {
                    json.write("count_problem", result.countProblem());
                }
                json.writeStartObject("counts");
                result.counts().forEach((name, value) -> {
                    if (value instanceof Number number) {
                        json.write(name, number.longValue());
                    } else {
                        json.write(name, String.valueOf(value));
                    }
                });
                json.writeEnd().writeStartArray("figures");
                for (Result.Figure figure : result.figures()) {
                    json.writeStartObject().write("measure", figure.measure()).write("value", figure.value())
                            .write("unit", figure.unit());
                    if (figure.ratio() != null) {
                        json.write("ratio_to_ceiling", figure.ratio());
                    }
                    if (figure.target() != null) {
                        json.write("target", figure.target());
                    }
                    if (figure.met() != null) {
                        json.write("met", figure.met());
                    }
                    json.writeEnd();
                }
                json.writeEnd();
                ServerProbe.Figures server = result.serverFigures();
                if (server != null) {
                    json.writeStartObject("server");
                    number(json, "cpu_cores", server.cpuCores());
                    number(json, "heap_peak_mib", server.heapPeakMiB());
                    number(json, "heap_after_gc_mib", server.heapAfterGcMiB());
                    number(json, "rss_peak_mib", server.rssPeakMiB());
                    json.writeEnd();
                }
                json.writeStartArray("costs");
                for (Result.Cost cost : result.costs()) {
                    json.writeStartObject().write("phase", cost.phase()).write("requests", cost.requests())
                            .write("events", cost.events()).write("seconds", cost.cpu().seconds());
                    number(json, "server_us_per_request", cost.serverMicrosPerRequest());
                    number(json, "server_us_per_event", cost.serverMicrosPerEvent());
                    number(json, "server_jit_share", cost.serverJitShare());
                    number(json, "server_gc_share", cost.serverGcShare());
                    number(json, "postgres_cores", cost.cpu().postgresCores());
                    number(json, "load_generator_cores", cost.cpu().loadCores());
                    json.writeEnd();
                }
                json.writeEnd();
                json.writeEnd();
            }
            json.writeEnd().writeEnd();
        }
        Files.writeString(dir.resolve("results.md"), markdown());
    }

    private static void number(JsonGenerator json, String name, double value) {
        if (Double.isNaN(value)) {
            json.writeNull(name);
        } else {
            json.write(name, value);
        }
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Run ").append(settings.runId()).append(settings.smoke() ? " (smoke)" : "").append(", ")
                .append(machine).append(", ").append(format(settings.duration().toMillis() / 1000.0))
                .append(" s per measurement, server JVM `").append(settings.serverJvmArgs()).append('`')
                .append(settings.serverEnv().isEmpty() ? "" : ", server env `" + settings.serverEnv() + "`")
                .append("\n\n| scenario | measure | value | ratio to ceiling | target | met |\n")
                .append("| --- | --- | ---: | ---: | --- | --- |\n");
        ceiling.forEach((method, rate) -> md.append("| ceiling | ").append(method.replace('_', ' '))
                .append(method.startsWith("minimal") ? " (unique index only)" : "")
                .append(", ").append(settings.ceilingConnections()).append(" connections | ")
                .append(format(rate)).append(" rows/s | ").append(format(rate / best(ceiling))).append(" | | |\n"));
        if (jaxrs != null) {
            md.append("| ceiling | minimal JAX-RS server, ").append(settings.singleClients()).append(" connections | ")
                    .append(format(jaxrs.requestsPerSecond())).append(" requests/s | | | |\n")
                    .append("| ceiling | minimal JAX-RS server CPU per request | ")
                    .append(format(jaxrs.serverMicrosPerRequest())).append(" µs | | | |\n");
        }
        for (Result result : results) {
            if (result.skippedBecause() != null) {
                md.append("| ").append(result.scenario()).append(" | skipped: ").append(result.skippedBecause())
                        .append(" | | | | |\n");
                continue;
            }
            for (Result.Figure figure : result.figures()) {
                md.append("| ").append(result.scenario()).append(" | ").append(figure.measure()).append(" | ")
                        .append(format(figure.value())).append(' ').append(figure.unit()).append(" | ")
                        .append(figure.ratio() == null ? "" : format(figure.ratio())).append(" | ")
                        .append(figure.target() == null ? "" : figure.target()).append(" | ")
                        .append(figure.met() == null ? "" : figure.met() ? "yes" : "**no**").append(" |\n");
            }
        }
        md.append("\n| scenario | counts exact | server CPU (cores) | heap peak in use (MiB) | heap after GC (MiB) "
                + "| peak RSS (MiB) | measured phase | server µs/request | server µs/event | of it JIT, GC "
                + "| PostgreSQL (cores) | load generator (cores) |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result result : results) {
            ServerProbe.Figures server = result.serverFigures();
            if (server == null) {
                continue;
            }
            md.append("| ").append(result.scenario()).append(" | ")
                    .append(result.countProblem() == null ? "yes" : "**no**: " + result.countProblem()).append(" | ")
                    .append(format(server.cpuCores())).append(" | ").append(format(server.heapPeakMiB())).append(" | ")
                    .append(format(server.heapAfterGcMiB())).append(" | ").append(format(server.rssPeakMiB()));
            List<Result.Cost> costs = result.costs();
            md.append(costs.isEmpty() ? " | | | | | | |\n" : cost(costs.get(0)));
            for (Result.Cost cost : costs.subList(Math.min(1, costs.size()), costs.size())) {
                md.append("| ").append(result.scenario()).append(" | | | | |").append(cost(cost));
            }
        }
        return md.toString();
    }

    /** The cost columns of a row, from the separator before the phase to the end of the line. */
    private static String cost(Result.Cost cost) {
        return " | " + cost.phase().replace('_', ' ') + " | " + format(cost.serverMicrosPerRequest()) + " | "
                + format(cost.serverMicrosPerEvent()) + " | " + percent(cost.serverJitShare()) + ", "
                + percent(cost.serverGcShare()) + " | " + format(cost.cpu().postgresCores()) + " | "
                + format(cost.cpu().loadCores()) + " |\n";
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
