package org.libertyevents.publisher.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.libertyevents.publisher.run.Audit;
import org.libertyevents.publisher.run.Run;
import org.libertyevents.publisher.run.RunSettings;

import java.util.Locale;

/** A run as the REST API shows it, with snake_case names. */
final class RunJson {

    private RunJson() {
    }

    static JsonObject of(Run run) {
        RunSettings settings = run.settings();
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("id", run.id())
                .add("state", run.state().name().toLowerCase(Locale.ROOT))
                .add("created_at", run.createdAt().toString())
                .add("settings", Json.createObjectBuilder()
                        .add("count", settings.count())
                        .add("duplicate_ratio", settings.duplicateRatio())
                        .add("topics", Json.createArrayBuilder(settings.topics()))
                        .add("batch_size", settings.batchSize())
                        .add("concurrency", settings.concurrency())
                        .add("rate", settings.rate())
                        .add("mode", settings.async() ? "async" : "sync")
                        .add("seed", settings.seed())
                        .add("target", settings.target().toString()))
                .add("sent", run.sent())
                .add("acknowledged", run.acknowledged())
                .add("retried", run.retried())
                .add("failed", run.failed())
                .add("events_per_second", Math.round(run.eventsPerSecond() * 10) / 10.0)
                .add("elapsed_seconds", run.elapsed().toMillis() / 1000.0);
        Long eta = run.etaSeconds();
        if (eta == null) {
            json.addNull("eta_seconds");
        } else {
            json.add("eta_seconds", eta);
        }
        if (run.error() == null) {
            json.addNull("error");
        } else {
            json.add("error", run.error());
        }
        Audit audit = run.audit();
        if (audit == null) {
            json.addNull("audit");
        } else {
            json.add("audit", Json.createObjectBuilder()
                    .add("exactly_once", audit.exactlyOnce())
                    .add("expected_unique", audit.expectedUnique())
                    .add("expected_duplicates", audit.expectedDuplicates())
                    .add("reported_stored", audit.reportedStored())
                    .add("reported_duplicates", audit.reportedDuplicates())
                    .add("stats_unique_delta", audit.statsUniqueDelta())
                    .add("stats_duplicate_delta", audit.statsDuplicateDelta())
                    .add("keys_checked", audit.keysChecked())
                    .add("keys_missing", audit.keysMissing())
                    .add("differences", Json.createArrayBuilder(audit.differences())));
        }
        return json.build();
    }
}
