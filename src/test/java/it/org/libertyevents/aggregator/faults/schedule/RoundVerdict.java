package it.org.libertyevents.aggregator.faults.schedule;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A round's outcome, judged against the producers' ledgers once the cluster has drained: lost (acknowledged, not
 * stored), doubled (rows beyond distinct ids), counter drift (the topic's {@code unique}, {@code duplicates} and
 * {@code conflicts} against the ledger), dead letters of events that are stored, and 5xx answers without
 * {@code Retry-After}. All must be 0.
 *
 * <p>Drift is exact for producers that send an {@code Idempotency-Key} per batch, synchronous or asynchronous: a
 * retry must replay or re-execute correctly, so every acknowledged batch counts once (an append that reached Redis
 * though its answer was lost is found by the key's marker, not queued again). Without a key, a batch retried after an
 * ambiguous failure may have been counted already, so duplicates may exceed the ledger by up to nine in ten of
 * the events of ambiguous attempts and conflicts by one in ten (a recounted batch's originals and true copies
 * become duplicates, its conflicting copies conflicts again); drift is then how far a counter lies outside that
 * range. {@code unique} is exact for every producer.
 */
record RoundVerdict(Map<String, Object> figures, List<String> details) {

    /** Reads rows, counters and dead letters of every ledger's topic and judges them. */
    static RoundVerdict judge(List<Ledger> ledgers, Cluster cluster,
                              long readsWithoutRetryAfter) throws SQLException {
        Set<String> topics = ledgers.stream().map(Ledger::topic).collect(Collectors.toSet());
        Map<String, Set<String>> dead = DeadLetters.of(cluster.redisUrl(), cluster.stream(), topics);
        long acknowledged = 0;
        long stored = 0;
        long lost = 0;
        long doubled = 0;
        long[] drift = new long[3];
        long deadLetters = 0;
        long deadStored = 0;
        long withoutRetryAfter = readsWithoutRetryAfter;
        long unacknowledged = 0;
        long ambiguous = 0;
        Map<String, Long> failures = new TreeMap<>();
        List<String> details = new ArrayList<>();
        for (Ledger ledger : ledgers) {
            Rows rows = rows(cluster.databaseUrl(), ledger.topic());
            long[] counters = counters(cluster.bases().get(0), ledger.topic());
            Set<String> missing = new HashSet<>(ledger.acknowledgedIds());
            missing.removeAll(rows.ids());
            Set<String> deadIds = dead.getOrDefault(ledger.topic(), Set.of());
            Set<String> deadAndStored = new HashSet<>(deadIds);
            deadAndStored.retainAll(rows.ids());
            long slack = ledger.keyed() ? 0 : ledger.ambiguousEvents();
            long[] topicDrift = {
                    counters[0] - ledger.unique(),
                    outside(counters[1], ledger.duplicates(), slack),
                    outside(counters[2], ledger.conflicts(), slack / 10)};
            acknowledged += ledger.acknowledgedEvents();
            stored += rows.ids().size();
            lost += missing.size();
            doubled += rows.count() - rows.ids().size();
            for (int i = 0; i < 3; i++) {
                drift[i] += Math.abs(topicDrift[i]);
            }
            deadLetters += deadIds.size();
            deadStored += deadAndStored.size();
            withoutRetryAfter += ledger.fiveHundredsWithoutRetryAfter();
            unacknowledged += ledger.batches() - ledger.acknowledgedBatches();
            ambiguous += ledger.ambiguousEvents();
            ledger.failures().forEach((kind, count) -> failures.merge(kind, count, Long::sum));
            details.add(ledger.label() + " (" + ledger.topic() + "): acknowledged " + ledger.acknowledgedEvents()
                    + ", unique/duplicates/conflicts " + counters[0] + "/" + counters[1] + "/" + counters[2]
                    + " against the ledger's " + ledger.unique() + "/" + ledger.duplicates() + "/" + ledger.conflicts()
                    + (slack > 0 ? " (+" + slack + " events of ambiguous attempts)" : "")
                    + ", lost " + missing.size() + sample(missing) + ", dead letters " + deadIds.size()
                    + " (stored " + deadAndStored.size() + sample(deadAndStored) + "), failed attempts "
                    + ledger.failures() + (ledger.unexpectedAnswers().isEmpty() ? ""
                    : ", unexpected answers " + ledger.unexpectedAnswers()));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("acknowledged", acknowledged);
        figures.put("stored", stored);
        figures.put("lost", lost);
        figures.put("doubled", doubled);
        figures.put("unique drift", drift[0]);
        figures.put("duplicates drift", drift[1]);
        figures.put("conflicts drift", drift[2]);
        figures.put("dead letters stored", deadStored);
        figures.put("5xx without Retry-After", withoutRetryAfter);
        figures.put("unacknowledged batches", unacknowledged);
        figures.put("dead letters", deadLetters);
        figures.put("failed attempts", failures);
        figures.put("events of ambiguous attempts", ambiguous);
        figures.put("duplicates checked", "exactly with Idempotency-Key, within the ambiguous range without");
        return new RoundVerdict(figures, details);
    }

    /** Whether every figure that must be 0 is. */
    boolean passed() {
        return List.of("lost", "doubled", "unique drift", "duplicates drift", "conflicts drift",
                        "dead letters stored", "5xx without Retry-After", "unacknowledged batches").stream()
                .allMatch(name -> ((Number) figures.get(name)).longValue() == 0);
    }

    /** How far {@code actual} lies outside {@code [expected, expected + slack]}, signed. */
    private static long outside(long actual, long expected, long slack) {
        return actual < expected ? actual - expected : Math.max(0, actual - expected - slack);
    }

    private static String sample(Set<String> ids) {
        return ids.isEmpty() ? "" : " e.g. " + ids.stream().sorted().limit(5).toList();
    }

    /** The topic's counters in {@code /stats}: unique, duplicates, conflicts (zeros when it has none). */
    private static long[] counters(String base, String topic) {
        Reply reply = Api.getFrom(base, "/stats?topic=" + Api.encode(topic));
        if (reply.status() != 200) {
            throw new AssertionError("GET /stats answered " + reply.brief());
        }
        for (JsonValue value : reply.json().getJsonArray("topics")) {
            JsonObject topicStats = value.asJsonObject();
            if (topicStats.getString("name").equals(topic)) {
                return new long[] {topicStats.getJsonNumber("unique").longValue(),
                        topicStats.getJsonNumber("duplicates").longValue(),
                        topicStats.getJsonNumber("conflicts").longValue()};
            }
        }
        return new long[3];
    }

    /** The rows of a topic and its distinct stored ids. */
    private record Rows(long count, Set<String> ids) {
    }

    private static Rows rows(String databaseUrl, String topic) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "");
             PreparedStatement select = connection.prepareStatement("SELECT event_id FROM events WHERE topic = ?")) {
            select.setString(1, topic);
            long count = 0;
            Set<String> ids = new HashSet<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    count++;
                    ids.add(row.getString(1));
                }
            }
            return new Rows(count, ids);
        }
    }
}
