package it.org.libertyevents.aggregator.support;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a test's own clients sent and had acknowledged, per topic: the independent account that the service's
 * counters ({@code /stats?topic=}) and stored rows are checked against. The service's answers feed it only as
 * "acknowledged" or not; its verdicts and counters never do.
 *
 * <p>Expected counters of a topic, from the acknowledged events (200 or 202, each acknowledged request once; a
 * replayed Idempotency-Key answer counts nothing): {@code unique} is the number of distinct event ids;
 * {@code conflicts} the events whose payload differs from the first acknowledged payload of their id;
 * {@code duplicates} every repeat, acknowledged events minus distinct ids, the conflicts among them. Payloads compare
 * as JSON values, member order and number spelling aside (as the service compares them). "First" is the order in
 * which the ledger was told: it is the stored payload when requests carrying other payloads for the same id were not
 * in flight at once (for those only the duplicates are certain, not how many of them conflict).
 *
 * <p>An attempt that failed ambiguously (a dropped connection, or a 5xx after which the client sent the batch
 * again) may have committed before it failed: its events may then have been counted, once more, besides the
 * acknowledged attempt that followed. The expectation is exact when no attempt was ambiguous; otherwise it is a
 * tight bound: ledger duplicates &le; counted &le; ledger duplicates + events of ambiguous attempts, conflicts
 * likewise with the ambiguous events whose payload is not their id's acknowledged one, and unique at most ledger
 * unique + the distinct ids of ambiguous attempts that were never acknowledged. A refused request (4xx), or a connection that was
 * never made, counts nothing.
 *
 * <p>Thread-safe: concurrent clients may record into one ledger.
 */
public final class Ledger {

    private final Map<String, TopicAccount> topics = new HashMap<>();
    private long ambiguousAttempts;

    /** Records the events of a publish body (one event object or an array of them) as acknowledged. */
    public void acknowledged(String body) {
        acknowledged(events(body));
    }

    /** Records these events as acknowledged: the service answered 200 or 202 for the request that held them. */
    public synchronized void acknowledged(List<JsonObject> events) {
        for (JsonObject event : events) {
            account(event).acknowledged(event.getString("event_id"), canonical(event.get("payload")));
        }
    }

    /** Records an attempt with this body that ended ambiguously: its events may or may not have been counted. */
    public void ambiguous(String body) {
        List<JsonObject> events = events(body);
        synchronized (this) {
            ambiguousAttempts++;
            for (JsonObject event : events) {
                account(event).ambiguous.add(new Sent(event.getString("event_id"), canonical(event.get("payload"))));
            }
        }
    }

    /**
     * Records an attempt by its answer: 200 or 202 is acknowledged (unless it replays an Idempotency-Key's first
     * answer), a 5xx ambiguous, anything else (a refusal) nothing.
     *
     * @return {@code reply}, so that a call can wrap a publish
     */
    public Reply record(String body, Reply reply) {
        boolean replayed = reply.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
        if ((reply.status() == 200 || reply.status() == 202) && !replayed) {
            acknowledged(body);
        } else if (reply.status() >= 500) {
            ambiguous(body);
        }
        return reply;
    }

    /**
     * Publishes {@code body} to the instance at {@code base} (through the broker with {@code async}) and records the
     * attempt by its answer, or as ambiguous when a connection made for it was lost.
     */
    public Reply publish(String base, String body, boolean async) {
        return publish(base, body, async ? Map.of("Prefer", "respond-async") : Map.of());
    }

    /** {@link #publish(String, String, boolean)} with request headers of the caller's (an Idempotency-Key...). */
    public Reply publish(String base, String body, Map<String, String> headers) {
        try {
            return record(body, Api.publishWithHeadersTo(base, "application/json", body, headers));
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof ConnectException)) {
                ambiguous(body);
            }
            throw e;
        }
    }

    /** The topics this ledger has events of, in name order. */
    public synchronized Set<String> topics() {
        return new TreeSet<>(topics.keySet());
    }

    /** Attempts recorded as ambiguous, over all topics. */
    public synchronized long ambiguousAttempts() {
        return ambiguousAttempts;
    }

    /** Events of {@code topic} acknowledged, each acknowledged request counted once. */
    public synchronized long acknowledgedEvents(String topic) {
        TopicAccount account = topics.get(topic);
        return account == null ? 0 : account.acknowledged;
    }

    /** Distinct event ids of {@code topic} acknowledged. */
    public synchronized long distinct(String topic) {
        TopicAccount account = topics.get(topic);
        return account == null ? 0 : account.originals.size();
    }

    /** Events of {@code topic} in attempts that ended ambiguously. */
    public synchronized long ambiguousEvents(String topic) {
        TopicAccount account = topics.get(topic);
        return account == null ? 0 : account.ambiguous.size();
    }

    /** What the counters of {@code topic} must be, as exact values or bounds (see the class comment). */
    public synchronized Expected expected(String topic) {
        TopicAccount account = topics.getOrDefault(topic, new TopicAccount());
        long unique = account.originals.size();
        long duplicates = account.acknowledged - unique;
        long extraConflicts = 0;
        Set<String> unacknowledged = new HashSet<>();
        for (Sent sent : account.ambiguous) {
            String original = account.originals.get(sent.eventId());
            if (original == null) {
                // Never acknowledged: its id may have been stored, and its copies counted as conflicts or not.
                unacknowledged.add(sent.eventId());
                extraConflicts++;
            } else if (!original.equals(sent.payload())) {
                extraConflicts++;
            }
        }
        return new Expected(new Range(unique, unique + unacknowledged.size()),
                new Range(duplicates, duplicates + account.ambiguous.size()),
                new Range(account.conflicts, account.conflicts + extraConflicts));
    }

    /** Compares what the service counted and stored for {@code topic} with this ledger. */
    public Check check(String topic, Counters counted, long[] rows) {
        return new Check(topic, expected(topic), counted, rows[0], rows[1]);
    }

    /**
     * Reads the counters of every topic of this ledger at {@code base}, or of the topics named, and their stored
     * rows ({@link StoredRows#of}), and fails unless they all match. A topic named that the ledger has no events of
     * must have no counters and no rows.
     */
    public void assertMatches(String base, String... topics) {
        List<String> failures = new ArrayList<>();
        for (String topic : topics.length == 0 ? topics() : Set.of(topics)) {
            Check check = check(topic, Counters.at(base, topic), StoredRows.of(base, topic));
            if (!check.matches()) {
                failures.add(check.toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("the service's counters or rows differ from the clients' ledger:\n"
                    + String.join("\n", failures));
        }
    }

    /** The events of a publish body: one event object, or an array of them. */
    public static List<JsonObject> events(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            return value.getValueType() == JsonValue.ValueType.ARRAY
                    ? value.asJsonArray().getValuesAs(JsonObject.class) : List.of(value.asJsonObject());
        }
    }

    private TopicAccount account(JsonObject event) {
        return topics.computeIfAbsent(event.getString("topic"), topic -> new TopicAccount());
    }

    /**
     * A JSON value as text that is the same for equal values: object members sorted by name, numbers by value
     * (10, 10.0 and 1e1 alike).
     */
    static String canonical(JsonValue value) {
        return switch (value.getValueType()) {
            case OBJECT -> value.asJsonObject().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> canonical(e.getValue()), (a, b) -> b,
                            TreeMap::new))
                    .entrySet().stream().map(e -> Json.createValue(e.getKey()) + ":" + e.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
            case ARRAY -> value.asJsonArray().stream().map(Ledger::canonical)
                    .collect(Collectors.joining(",", "[", "]"));
            case NUMBER -> {
                var number = ((JsonNumber) value).bigDecimalValue();
                yield number.signum() == 0 ? "0" : number.stripTrailingZeros().toString();
            }
            case STRING -> Json.createValue(((JsonString) value).getString()).toString();
            default -> value.toString();
        };
    }

    /** One event of an ambiguous attempt. */
    private record Sent(String eventId, String payload) {
    }

    /** The ledger of one topic. */
    private static final class TopicAccount {
        /** The first acknowledged payload of each event id. */
        private final Map<String, String> originals = new HashMap<>();
        private final List<Sent> ambiguous = new ArrayList<>();
        private long acknowledged;
        private long conflicts;

        void acknowledged(String eventId, String payload) {
            acknowledged++;
            String original = originals.putIfAbsent(eventId, payload);
            if (original != null && !original.equals(payload)) {
                conflicts++;
            }
        }
    }

    /** Inclusive bounds of a counter; {@code min == max} when the ledger knows it exactly. */
    public record Range(long min, long max) {

        /** How far {@code value} lies outside: negative below, positive above, 0 within. */
        public long drift(long value) {
            return value < min ? value - min : value > max ? value - max : 0;
        }

        @Override
        public String toString() {
            return min == max ? Long.toString(min) : min + ".." + max;
        }
    }

    /** What the ledger expects a topic's counters to be. */
    public record Expected(Range unique, Range duplicates, Range conflicts) {
    }

    /** A topic's counters as {@code /stats?topic=} reports them. */
    public record Counters(long unique, long duplicates, long conflicts) {

        /** The counters of {@code topic} at {@code base}: zeros while the topic has none. */
        public static Counters at(String base, String topic) {
            Reply reply = Api.getFrom(base, "/stats?topic=" + Api.encode(topic));
            if (reply.status() != 200) {
                throw new AssertionError("GET /stats?topic= at " + base + " answered " + reply.brief());
            }
            for (JsonValue value : reply.json().getJsonArray("topics")) {
                JsonObject counters = value.asJsonObject();
                if (counters.getString("name").equals(topic)) {
                    return new Counters(counters.getJsonNumber("unique").longValue(),
                            counters.getJsonNumber("duplicates").longValue(),
                            counters.getJsonNumber("conflicts").longValue());
                }
            }
            return new Counters(0, 0, 0);
        }

        /** The counters of {@code topic} at the first of {@code bases} that answers (others may be down). */
        public static Counters atAny(List<String> bases, String topic) {
            List<String> unanswered = new ArrayList<>();
            for (String base : bases) {
                try {
                    return at(base, topic);
                } catch (RuntimeException | AssertionError e) {
                    unanswered.add(base + ": " + e.getMessage());
                }
            }
            throw new IllegalStateException("no instance reports the counters of " + topic + ": " + unanswered);
        }
    }

    /**
     * A topic's counters and stored rows against the ledger. {@code lost} counts acknowledged ids not stored,
     * {@code doubled} rows beyond the ids the clients may have stored; the counter drifts say how far each counter
     * lies outside what the ledger allows, and {@code uniqueVsRows} how far the unique counter is from the rows.
     *
     * @param rows     stored rows of the topic
     * @param distinct distinct event ids among them
     */
    public record Check(String topic, Expected expected, Counters counted, long rows, long distinct) {

        public long lost() {
            return Math.max(0, expected.unique().min() - distinct);
        }

        public long doubled() {
            return Math.max(0, rows - expected.unique().max());
        }

        public long uniqueDrift() {
            return expected.unique().drift(counted.unique());
        }

        public long duplicateDrift() {
            return expected.duplicates().drift(counted.duplicates());
        }

        public long conflictDrift() {
            return expected.conflicts().drift(counted.conflicts());
        }

        public long uniqueVsRows() {
            return counted.unique() - rows;
        }

        /** The counter drifts and the unique counter's distance from the rows, in absolute value, added up. */
        public long counterDrift() {
            return Math.abs(uniqueDrift()) + Math.abs(duplicateDrift()) + Math.abs(conflictDrift())
                    + Math.abs(uniqueVsRows());
        }

        /** Nothing lost, nothing doubled, no counter drift. */
        public boolean matches() {
            return lost() == 0 && doubled() == 0 && counterDrift() == 0 && rows == distinct;
        }

        /** Fails, saying what differs, unless {@link #matches()}. */
        public void assertMatches() {
            if (!matches()) {
                throw new AssertionError("the service differs from the clients' ledger: " + this);
            }
        }

        @Override
        public String toString() {
            return topic + ": counted unique " + counted.unique() + ", duplicates " + counted.duplicates()
                    + ", conflicts " + counted.conflicts() + "; ledger unique " + expected.unique() + ", duplicates "
                    + expected.duplicates() + ", conflicts " + expected.conflicts() + "; rows " + rows + " ("
                    + distinct + " distinct); lost " + lost() + ", doubled " + doubled() + ", counter drift "
                    + counterDrift();
        }
    }
}
