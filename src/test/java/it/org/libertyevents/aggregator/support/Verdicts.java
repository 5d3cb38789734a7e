package it.org.libertyevents.aggregator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one-line verdicts of the reliability scenarios: printed, and appended to
 * {@code target/reliability/verdicts.md} (a table row per scenario run) for docs/reliability.md.
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
     * Records and checks a fault scenario's outcome: every event of every run was acknowledged, the database holds
     * each acknowledged event exactly once (lost 0, doubled 0), and each run's topic counters agree with its
     * producers' {@link Ledger} (counter drift 0). The counters are read from the first of a run's targets that
     * answers.
     *
     * @param scenario the scenario's name
     * @param runs     the producers of the scenario, each with its own topic
     * @param rows     for each run, the stored rows of its topic and the distinct event ids among them
     * @param extra    further figures for the verdict line (outage length, 503s seen...)
     */
    public static void exactlyOnce(String scenario, List<RetryingClients> runs, List<long[]> rows,
                                   Map<String, ?> extra) {
        exactlyOnce(scenario, runs, rows,
                runs.stream().map(run -> Ledger.Counters.atAny(run.targets(), run.topic())).toList(), extra);
    }

    /**
     * {@link #exactlyOnce(String, List, List, Map)} with each run's topic counters given, for runs whose targets no
     * longer answer or share another database.
     *
     * @param counters for each run, its topic's counters as {@code /stats?topic=} reported them once drained
     */
    public static void exactlyOnce(String scenario, List<RetryingClients> runs, List<long[]> rows,
                                   List<Ledger.Counters> counters, Map<String, ?> extra) {
        long sent = 0;
        long acknowledged = 0;
        long unique = 0;
        long stored = 0;
        long ambiguous = 0;
        List<Ledger.Check> checks = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RetryingClients run = runs.get(i);
            sent += run.events();
            acknowledged += run.acknowledged();
            unique += run.uniqueEvents();
            stored += rows.get(i)[0];
            ambiguous += run.ledger().ambiguousAttempts();
            checks.add(run.ledger().check(run.topic(), counters.get(i), rows.get(i)));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("acknowledged", acknowledged);
        figures.put("stored", stored);
        figures.put("duplicates sent", sent - unique);
        figures.putAll(ledgerFigures(checks));
        figures.put("ambiguous attempts", ambiguous);
        figures.putAll(extra);
        record(scenario, "postgres", figures);
        if (acknowledged != sent || !checks.stream().allMatch(Ledger.Check::matches)) {
            throw new AssertionError(scenario + ": not exactly once: " + figures + "\n"
                    + checks.stream().map(Ledger.Check::toString).collect(Collectors.joining("\n")));
        }
    }

    /**
     * The ledger's figures for a verdict line, added up over {@code checks}: lost (acknowledged, not stored),
     * doubled (stored beyond what was acknowledged) and counter drift (how far unique, duplicates and conflicts lie
     * outside what the ledger allows, and unique from the stored rows).
     */
    public static Map<String, Long> ledgerFigures(List<Ledger.Check> checks) {
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("lost", checks.stream().mapToLong(Ledger.Check::lost).sum());
        figures.put("doubled", checks.stream().mapToLong(Ledger.Check::doubled).sum());
        figures.put("counter drift", checks.stream().mapToLong(Ledger.Check::counterDrift).sum());
        return figures;
    }

    private static String format(Object value) {
        return value instanceof Number number ? String.format("%,d", number.longValue()) : String.valueOf(value);
    }
}
