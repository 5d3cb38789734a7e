package org.libertyevents.publisher.run;

import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.libertyevents.publisher.generate.EventGenerator;
import org.libertyevents.publisher.generate.EventKey;
import org.libertyevents.publisher.send.AggregatorClient;

import java.util.ArrayList;
import java.util.List;

/**
 * Compares what a run meant to do with what the aggregator reports: its {@code /stats} deltas, the verdicts it
 * returned, and for small runs each expected event looked up by key, its key generated again from the run's seed.
 * Exact when nothing else publishes to the aggregator during the run.
 */
final class Auditor {

    /** Runs with at most this many unique events have every one looked up. */
    static final int KEY_CHECK_LIMIT = 2_000;
    private static final int LISTED_MISSING = 10;

    private Auditor() {
    }

    static Audit audit(Run run, EventGenerator plan, JsonObject before, JsonObject after, AggregatorClient client) {
        long expectedUnique = plan.spec().uniqueCount();
        long expectedDuplicates = plan.spec().duplicateCount();
        long uniqueDelta = counter(after, "unique_processed") - counter(before, "unique_processed");
        long duplicateDelta = counter(after, "duplicate_dropped") - counter(before, "duplicate_dropped");
        long stored = run.stored.get();
        List<String> differences = new ArrayList<>();

        if (run.failed() > 0) {
            differences.add(run.failed() + " events were never acknowledged");
        }
        if (uniqueDelta != expectedUnique) {
            differences.add("unique_processed grew by " + uniqueDelta + ", expected " + expectedUnique);
        }
        boolean verdictsKnown = !run.settings().async();
        if (verdictsKnown && stored > expectedUnique) {
            differences.add(stored + " stored verdicts for " + expectedUnique + " unique events");
        }
        // A retried request whose first attempt did commit is answered "duplicate": only without retries must
        // the verdicts and the duplicate counter match the plan exactly.
        if (run.retried() == 0) {
            if (verdictsKnown && stored != expectedUnique) {
                differences.add(stored + " stored verdicts, expected " + expectedUnique);
            }
            if (duplicateDelta != expectedDuplicates) {
                differences.add("duplicate_dropped grew by " + duplicateDelta + ", expected " + expectedDuplicates);
            }
        }

        int checked = 0;
        List<EventKey> missing = new ArrayList<>();
        if (expectedUnique <= KEY_CHECK_LIMIT) {
            for (EventKey key : (Iterable<EventKey>) plan.uniqueKeys()::iterator) {
                checked++;
                try (Response response = client.event(key.topic(), key.eventId())) {
                    if (response.getStatus() != 200) {
                        missing.add(key);
                    }
                }
            }
            if (!missing.isEmpty()) {
                differences.add(missing.size() + " events cannot be found, among them "
                        + missing.subList(0, Math.min(LISTED_MISSING, missing.size())));
            }
        }
        return new Audit(expectedUnique, expectedDuplicates, stored, run.duplicates.get(), uniqueDelta,
                duplicateDelta, checked, missing.size(), differences.isEmpty(), List.copyOf(differences));
    }

    private static long counter(JsonObject stats, String name) {
        return stats.getJsonNumber(name).longValue();
    }
}
