package it.org.libertyevents.aggregator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one-line verdicts of the reliability scenarios: printed, and appended to
 * {@code target/reliability/verdicts.md} (a table row per scenario run) for the README's Reliability section.
 */
public final class Verdicts {

    private static final Path FILE = Path.of(System.getProperty("user.dir"), "target", "reliability", "verdicts.md");

    private Verdicts() {
    }

    /**
     * Records one scenario's outcome.
     *
     * @param scenario the scenario's name
     * @param server   which server suite ran it (h2 or postgres)
     * @param figures  the figures in the order to print them, such as acknowledged, stored, lost, doubled
     */
    public static void record(String scenario, String server, Map<String, ?> figures) {
        String line = figures.entrySet().stream().map(e -> e.getKey() + " " + format(e.getValue()))
                .collect(Collectors.joining(", "));
        System.out.println("VERDICT " + scenario + " [" + server + "]: " + line);
        try {
            Files.createDirectories(FILE.getParent());
            if (!Files.exists(FILE)) {
                Files.writeString(FILE, "| when | scenario | server | verdict |\n| --- | --- | --- | --- |\n",
                        StandardCharsets.UTF_8);
            }
            Files.writeString(FILE, "| " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " | " + scenario + " | "
                    + server + " | " + line + " |\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    /**
     * Records and checks a fault scenario's outcome: every event of every run was acknowledged, and the database holds
     * each distinct event exactly once (lost 0, doubled 0).
     *
     * @param scenario the scenario's name
     * @param runs     the producers of the scenario, each with its own topic
     * @param rows     for each run, the stored rows of its topic and the distinct event ids among them
     * @param extra    further figures for the verdict line (outage length, 503s seen...)
     */
    public static void exactlyOnce(String scenario, List<RetryingClients> runs, List<long[]> rows,
                                   Map<String, ?> extra) {
        long sent = 0;
        long acknowledged = 0;
        long unique = 0;
        long stored = 0;
        long distinct = 0;
        for (int i = 0; i < runs.size(); i++) {
            sent += runs.get(i).events();
            acknowledged += runs.get(i).acknowledged();
            unique += runs.get(i).uniqueEvents();
            stored += rows.get(i)[0];
            distinct += rows.get(i)[1];
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("acknowledged", acknowledged);
        figures.put("stored", stored);
        figures.put("duplicates sent", sent - unique);
        figures.put("lost", unique - distinct);
        figures.put("doubled", stored - distinct);
        figures.putAll(extra);
        record(scenario, "postgres", figures);
        if (acknowledged != sent || distinct != unique || stored != distinct) {
            throw new AssertionError(scenario + ": not exactly once: " + figures);
        }
    }

    private static String format(Object value) {
        return value instanceof Number number ? String.format("%,d", number.longValue()) : String.valueOf(value);
    }
}
