package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.libertyevents.aggregator.store.DeadLetter;
import org.libertyevents.aggregator.store.DeliveryProgress;
import org.libertyevents.aggregator.store.Subscription;
import org.libertyevents.aggregator.store.SubscriptionReads;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A subscription as the API shows it. The secret appears only in the answer that made or rotated it: it is never
 * shown again.
 */
final class SubscriptionView {

    private SubscriptionView() {
    }

    /**
     * @param secret the new secret to show once, or null
     * @param lag    how far it is behind, or null to leave that out (lists)
     */
    static JsonObject of(Subscription s, String secret, SubscriptionReads.Lag lag) {
        JsonObjectBuilder view = Json.createObjectBuilder()
                .add("id", s.id())
                .add("url", s.url())
                .add("topics", s.topics() == null ? JsonValue.NULL : Json.createArrayBuilder(s.topics()).build())
                .add("batch_size", s.batchSize())
                .add("on_exhausted", s.onExhausted().name().toLowerCase(Locale.ROOT))
                .add("state", s.state().name().toLowerCase(Locale.ROOT));
        nullable(view, "state_reason", s.stateReason());
        view.add("cursor", EventCursor.encode(s.cursor()))
                .add("created_at", s.createdAt().toString());
        if (secret != null) {
            view.add("secret", secret);
        }
        nullable(view, "secret_rotated_until", s.previousUntil() == null || s.previousUntil().isBefore(Instant.now())
                ? null : s.previousUntil().toString());
        DeliveryProgress p = s.progress();
        JsonObjectBuilder delivery = Json.createObjectBuilder()
                .add("delivered", p.delivered())
                .add("attempts", p.attempts())
                .add("failures_in_a_row", p.failures())
                .add("dead_letters", p.deadLetters());
        nullable(delivery, "last_success_at", text(p.lastSuccessAt()));
        nullable(delivery, "last_error_at", text(p.lastErrorAt()));
        nullable(delivery, "last_error", p.lastError());
        nullable(delivery, "next_attempt_at", text(p.nextAttemptAt()));
        if (lag != null) {
            delivery.add("lag_events", lag.events())
                    .add("lag_events_capped", lag.events() >= SubscriptionReads.LAG_COUNT_CAP)
                    .add("lag_seconds", lag.oldestWaiting() == null ? 0
                            : Math.max(0, Duration.between(lag.oldestWaiting(), Instant.now()).toMillis() / 1000.0));
        }
        view.add("delivery", delivery);
        JsonObjectBuilder lease = Json.createObjectBuilder();
        boolean held = s.leaseOwner() != null && s.leaseUntil() != null && s.leaseUntil().isAfter(Instant.now());
        nullable(lease, "holder", held ? s.leaseOwner() : null);
        nullable(lease, "until", held ? s.leaseUntil().toString() : null);
        return view.add("lease", lease).build();
    }

    static JsonObject list(List<Subscription> subscriptions) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        subscriptions.forEach(s -> array.add(of(s, null, null)));
        return Json.createObjectBuilder().add("subscriptions", array).build();
    }

    static JsonObject deadLetters(List<DeadLetter> letters) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (DeadLetter letter : letters) {
            JsonObjectBuilder item = Json.createObjectBuilder().add("webhook_id", letter.webhookId())
                    .add("topic", letter.topic()).add("event_id", letter.eventId())
                    .add("failed_at", letter.failedAt().toString()).add("attempts", letter.attempts());
            nullable(item, "last_error", letter.lastError());
            array.add(item);
        }
        return Json.createObjectBuilder().add("dead_letters", array).build();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void nullable(JsonObjectBuilder builder, String name, String value) {
        if (value == null) {
            builder.addNull(name);
        } else {
            builder.add(name, value);
        }
    }
}
