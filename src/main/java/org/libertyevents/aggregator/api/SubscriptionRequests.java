package org.libertyevents.aggregator.api;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.libertyevents.aggregator.intake.EventFieldRules;
import org.libertyevents.aggregator.intake.FieldError;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.Subscription;
import org.libertyevents.aggregator.subscription.NewSubscription;
import org.libertyevents.aggregator.subscription.SubscriptionChange;
import org.libertyevents.aggregator.subscription.WebhookSignature;
import org.libertyevents.aggregator.subscription.WebhookTargets;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the bodies of {@code POST /subscriptions} and {@code PATCH /subscriptions/{id}}: every problem found is
 * listed in one 422, and nothing unknown is ignored silently (a misspelt member is an error, not a default).
 */
final class SubscriptionRequests {

    static final int MAX_BATCH_SIZE = 1_000;
    static final int MAX_TOPICS = 100;
    private static final int MAX_TOPIC_LENGTH = 255;
    private static final Set<String> CREATE = Set.of("url", "topics", "secret", "batch_size", "from",
            "on_exhausted");
    private static final Set<String> PATCH = Set.of("url", "topics", "batch_size", "on_exhausted", "state",
            "rotate_secret", "secret", "cursor", "from");

    private final boolean allowPrivateTargets;
    private final List<FieldError> errors = new ArrayList<>();

    private SubscriptionRequests(boolean allowPrivateTargets) {
        this.allowPrivateTargets = allowPrivateTargets;
    }

    static NewSubscription create(String body, boolean allowPrivateTargets) {
        SubscriptionRequests request = new SubscriptionRequests(allowPrivateTargets);
        JsonObject json = request.object(body, CREATE);
        String url = request.url(json, true);
        List<String> topics = request.topics(json);
        String secret = request.secret(json);
        int batchSize = request.batchSize(json, 1);
        boolean fromNow = request.from(json);
        Subscription.Exhausted exhausted = request.exhausted(json, Subscription.Exhausted.DEAD_LETTER);
        request.refuseIfInvalid();
        return new NewSubscription(url, topics, secret, batchSize, fromNow, exhausted);
    }

    static SubscriptionChange change(String body, boolean allowPrivateTargets) {
        SubscriptionRequests request = new SubscriptionRequests(allowPrivateTargets);
        JsonObject json = request.object(body, PATCH);
        String url = request.url(json, false);
        List<String> topics = request.topics(json);
        Integer batchSize = json.containsKey("batch_size") ? request.batchSize(json, 1) : null;
        Subscription.Exhausted exhausted = request.exhausted(json, null);
        Subscription.State state = request.state(json);
        boolean rotate = request.rotate(json);
        String secret = request.secret(json);
        if (secret != null) {
            rotate = true;
        }
        FeedPosition cursor = request.cursor(json);
        boolean atEnd = request.from(json);
        if (json.containsKey("cursor") && json.containsKey("from")) {
            request.errors.add(new FieldError(null, "cursor", "give cursor or from, not both"));
        }
        request.refuseIfInvalid();
        return new SubscriptionChange(url, json.containsKey("topics"), topics, batchSize, exhausted, state, rotate,
                secret, cursor, atEnd);
    }

    private JsonObject object(String body, Set<String> members) {
        if (body == null || body.isBlank()) {
            throw new ProblemException(Problem.malformedJson("the body must be a JSON object"));
        }
        JsonObject json;
        try (var reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new ProblemException(Problem.malformedJson("the body must be a JSON object"));
            }
            json = value.asJsonObject();
        } catch (JsonException e) {
            throw new ProblemException(Problem.malformedJson("the body is not valid JSON: " + e.getMessage()));
        }
        for (String name : json.keySet()) {
            if (!members.contains(name)) {
                errors.add(new FieldError(null, name, "is not a member of this request (known: "
                        + String.join(", ", members.stream().sorted().toList()) + ")"));
            }
        }
        return json;
    }

    private String url(JsonObject json, boolean required) {
        String url = string(json, "url", required);
        if (url != null) {
            String problem = WebhookTargets.check(url, allowPrivateTargets);
            if (problem != null) {
                errors.add(new FieldError(null, "url", problem));
            }
        }
        return url;
    }

    /** The topics: a non-empty array of distinct topics, or absent or null for every topic. */
    private List<String> topics(JsonObject json) {
        JsonValue value = json.get("topics");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY || value.asJsonArray().isEmpty()
                || value.asJsonArray().size() > MAX_TOPICS) {
            errors.add(new FieldError(null, "topics", "must be an array of 1 to " + MAX_TOPICS
                    + " topics, or null for every topic"));
            return null;
        }
        Set<String> topics = new LinkedHashSet<>();
        for (JsonValue topic : value.asJsonArray()) {
            String problem = topic.getValueType() != JsonValue.ValueType.STRING ? "must be strings"
                    : EventFieldRules.checkText(((JsonString) topic).getString(), MAX_TOPIC_LENGTH);
            if (problem != null) {
                errors.add(new FieldError(null, "topics", "topics " + problem));
                return null;
            }
            topics.add(((JsonString) topic).getString());
        }
        return List.copyOf(topics);
    }

    private String secret(JsonObject json) {
        String secret = string(json, "secret", false);
        if (secret != null) {
            String problem = WebhookSignature.check(secret);
            if (problem != null) {
                errors.add(new FieldError(null, "secret", problem));
            }
        }
        return secret;
    }

    private int batchSize(JsonObject json, int absent) {
        JsonValue value = json.get("batch_size");
        if (value == null) {
            return absent;
        }
        if (value instanceof JsonNumber number && number.isIntegral() && number.bigDecimalValue().signum() > 0
                && number.bigDecimalValue().compareTo(BigDecimal.valueOf(MAX_BATCH_SIZE)) <= 0) {
            return number.intValue();
        }
        errors.add(new FieldError(null, "batch_size", "must be an integer from 1 (each event alone) to "
                + MAX_BATCH_SIZE));
        return absent;
    }

    /** Whether {@code from} asks for the end of the feed ("now"); "start" or absent is its start. */
    private boolean from(JsonObject json) {
        String from = string(json, "from", false);
        if (from == null || from.equals("start")) {
            return false;
        }
        if (!from.equals("now")) {
            errors.add(new FieldError(null, "from", "must be \"start\" or \"now\""));
        }
        return from.equals("now");
    }

    private Subscription.Exhausted exhausted(JsonObject json, Subscription.Exhausted absent) {
        String value = string(json, "on_exhausted", false);
        if (value == null) {
            return absent;
        }
        try {
            return Subscription.Exhausted.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(null, "on_exhausted", "must be \"dead_letter\" or \"pause\""));
            return absent;
        }
    }

    private Subscription.State state(JsonObject json) {
        String value = string(json, "state", false);
        if (value == null) {
            return null;
        }
        if (value.equals("active") || value.equals("paused")) {
            return Subscription.State.valueOf(value.toUpperCase(Locale.ROOT));
        }
        errors.add(new FieldError(null, "state", "must be \"active\" (to resume) or \"paused\""));
        return null;
    }

    private boolean rotate(JsonObject json) {
        JsonValue value = json.get("rotate_secret");
        if (value == null || value == JsonValue.FALSE) {
            return false;
        }
        if (value != JsonValue.TRUE) {
            errors.add(new FieldError(null, "rotate_secret", "must be true or false"));
        }
        return value == JsonValue.TRUE;
    }

    private FeedPosition cursor(JsonObject json) {
        String cursor = string(json, "cursor", false);
        if (cursor == null) {
            return null;
        }
        try {
            return EventCursor.decode(cursor);
        } catch (ProblemException e) {
            errors.add(new FieldError(null, "cursor", "is not a cursor of GET /events"));
            return null;
        }
    }

    private String string(JsonObject json, String name, boolean required) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            if (required) {
                errors.add(new FieldError(null, name, "is required"));
            }
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            errors.add(new FieldError(null, name, "must be a string"));
            return null;
        }
        return ((JsonString) value).getString();
    }

    private void refuseIfInvalid() {
        if (!errors.isEmpty()) {
            String detail = errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).detail()
                    : errors.size() + " problems were found; nothing was changed";
            throw new ProblemException(new Problem("invalid-subscription", "Invalid subscription", 422, detail,
                    errors, 0, null));
        }
    }
}
