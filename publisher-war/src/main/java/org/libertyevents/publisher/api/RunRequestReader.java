package org.libertyevents.publisher.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.libertyevents.publisher.run.RunSettings;
import org.libertyevents.publisher.send.Origin;
import org.libertyevents.publisher.send.TargetAllowList;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * Turns a {@code POST /publisher/runs} body into {@link RunSettings}, filling in defaults, or collects every
 * reason it cannot. Pure logic; the defaults are those the README documents. A target must be an allowed origin;
 * the refusal does not say more, and no request is sent to find out anything about it.
 */
final class RunRequestReader {

    static final int MAX_BATCH = 10_000;
    static final int MAX_CONCURRENCY = 64;
    static final int MAX_TOPICS = 1_000;

    private final URI defaultTarget;
    private final TargetAllowList allowed;
    private final int maxCount;
    private final List<String> errors = new ArrayList<>();

    /**
     * @param defaultTarget where a run goes unless it names a target ({@code AGGREGATOR_URL})
     * @param allowed       the targets a run may name
     * @param maxCount      the most events a run may send ({@code PUBLISHER_MAX_COUNT})
     */
    RunRequestReader(URI defaultTarget, TargetAllowList allowed, int maxCount) {
        this.defaultTarget = defaultTarget;
        this.allowed = allowed;
        this.maxCount = maxCount;
    }

    /** The settings, or null when {@link #errors()} says why not. */
    RunSettings read(JsonObject body) {
        int count = integer(body, "count", Math.min(20_000, maxCount), 1, maxCount);
        double ratio = decimal(body, "duplicate_ratio", 0.2);
        if (ratio < 0 || ratio >= 1) {
            errors.add("duplicate_ratio must be at least 0 and less than 1");
        }
        List<String> topics = topics(body.get("topics"));
        int batchSize = integer(body, "batch_size", 100, 1, MAX_BATCH);
        int concurrency = integer(body, "concurrency", 4, 1, MAX_CONCURRENCY);
        double rate = decimal(body, "rate", 0);
        if (rate < 0) {
            errors.add("rate must be a positive number of events per second");
        }
        String mode = text(body, "mode", "sync");
        if (!mode.equals("sync") && !mode.equals("async")) {
            errors.add("mode must be \"sync\" or \"async\"");
        }
        long seed = body.get("seed") instanceof JsonNumber number && number.isIntegral()
                ? number.longValue() : ThreadLocalRandom.current().nextLong();
        if (body.containsKey("seed") && !(body.get("seed") instanceof JsonNumber number && number.isIntegral())) {
            errors.add("seed must be a whole number");
        }
        URI target = target(text(body, "target", defaultTarget.toString()));
        if (!errors.isEmpty()) {
            return null;
        }
        return new RunSettings(count, ratio, topics, batchSize, concurrency, rate, mode.equals("async"), seed, target);
    }

    List<String> errors() {
        return errors;
    }

    private List<String> topics(JsonValue value) {
        if (value == null) {
            return names(4);
        }
        if (value instanceof JsonNumber number && number.isIntegral()
                && number.longValue() >= 1 && number.longValue() <= MAX_TOPICS) {
            return names(number.intValue());
        }
        if (value instanceof JsonArray array && !array.isEmpty() && array.size() <= MAX_TOPICS) {
            List<String> names = new ArrayList<>();
            for (JsonValue item : array) {
                if (item instanceof JsonString name && !name.getString().isBlank()
                        && name.getString().length() <= 255) {
                    names.add(name.getString());
                } else {
                    errors.add("topics must hold non-blank names of at most 255 characters");
                    return List.of();
                }
            }
            return names;
        }
        errors.add("topics must be a number from 1 to " + MAX_TOPICS + " or an array of topic names");
        return List.of();
    }

    private static List<String> names(int n) {
        return IntStream.range(0, n).mapToObj(i -> "topic-" + i).toList();
    }

    private int integer(JsonObject body, String name, int fallback, int min, int max) {
        JsonValue value = body.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof JsonNumber number && number.isIntegral()
                && number.longValue() >= min && number.longValue() <= max) {
            return number.intValue();
        }
        errors.add(name + " must be a whole number from " + min + " to " + max);
        return fallback;
    }

    private double decimal(JsonObject body, String name, double fallback) {
        JsonValue value = body.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof JsonNumber number) {
            return number.doubleValue();
        }
        errors.add(name + " must be a number");
        return fallback;
    }

    private String text(JsonObject body, String name, String fallback) {
        JsonValue value = body.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        errors.add(name + " must be a string");
        return fallback;
    }

    private URI target(String text) {
        try {
            URI uri = URI.create(text);
            Origin.of(uri); // http or https, a host, no user info
            if (uri.getRawQuery() == null && uri.getRawFragment() == null) {
                if (allowed.allows(uri)) {
                    return uri;
                }
                errors.add("target is not among the allowed targets (PUBLISHER_TARGETS)");
                return defaultTarget;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        errors.add("target must be an http or https URL, such as http://localhost:9080");
        return defaultTarget;
    }
}
