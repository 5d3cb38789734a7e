package it.org.libertyevents.aggregator.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Requests the aggregator must refuse: a fixed corpus of known attack and mistake shapes, and a seeded generator
 * that breaks valid batches in one place each. A broken batch also holds valid events of the same topic, so any
 * partial storage shows up. Every request here deserves a 4xx; none may be stored or counted.
 */
public final class HostileRequests {

    /** The string fields of an event, and the fields a mutation may target. */
    private static final String[] TEXT_FIELDS = {"topic", "event_id", "source"};
    private static final String[] ALL_FIELDS = {"topic", "event_id", "timestamp", "source", "payload"};
    private static final String JSON = "application/json";
    private static final String[] WRONG_TYPES = {"42", "true", "false", "null", "[]", "[\"a\"]", "{\"x\":1}", "1.5",
            "-0", "1e3"};
    private static final String[] BAD_TIMESTAMPS = {"2026-11-21T10:15:30", "2026-11-21", "10:15:30Z", "yesterday",
            "2026-11-21 10:15:30Z", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-21T25:00:00Z",
            "+10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-11-21T10:15:30+25:00", "1763720130",
            "2026-11-21T10:15:30.Z", "2026-W47-6T10:15:30Z", "", " ", "2026-11-21T10:15:30 Z", "now()",
            "'; DROP TABLE events; --"};
    private static final String[] WRONG_CONTENT_TYPES = {"text/plain", "application/xml", "text/json",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=zz", "application/octet-stream",
            "application/json; charset=ISO-8859-1", "application/json; charset=UTF-16", "image/png", "*/*",
            "application/", "garbage", "application/json/extra", ";", "application/cloudevents+xml"};
    private static final byte[][] INVALID_UTF8 = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88,
            (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xF4, (byte) 0x90,
            (byte) 0x80, (byte) 0x80}};

    private HostileRequests() {
    }

    /**
     * One request to send.
     *
     * @param name    what it tries, for failure messages
     * @param method  the request method
     * @param target  path and query
     * @param headers headers to send as they are
     * @param body    the body, or {@code null}
     * @param byContainer whether Liberty's web container refuses it before any application sees it (with a 400 of
     *                    its own, which the application cannot shape)
     */
    public record Request(String name, String method, String target, Map<String, String> headers, byte[] body,
                          boolean byContainer) {

        Request(String name, String method, String target, Map<String, String> headers, byte[] body) {
            this(name, method, target, headers, body, false);
        }

        static Request publish(String name, String contentType, byte[] body) {
            return new Request(name, "POST", "/publish",
                    contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
        }

        static Request publish(String name, String json) {
            return publish(name, JSON, utf8(json));
        }

        static Request get(String name, String target) {
            return new Request(name, "GET", target, Map.of(), null);
        }
    }

    /** The fixed corpus: whole-body shapes, encodings, content types, sizes, headers, methods and queries. */
    public static List<Request> corpus(String topic) {
        List<Request> requests = new ArrayList<>();
        String valid = batch(topic, "c", 3);
        String one = event(topic, "c-one");
        for (String body : List.of("", " ", "\n\t ", "null", "42", "\"text\"", "true", "[]", "{}", "[1,2]", "[null]",
                "[[]]", "[{}]", "{", "[", "]", "}", "{\"topic\":", "[" + one + ",]", "/* c */" + one, one + " x",
                one + one, "[" + one + "] []", one.replace('"', '\''), one.replace("\"topic\"", "topic"),
                one.replace("{\"n\":1}", "{\"n\":NaN}"), one.replace("{\"n\":1}", "{\"n\":Infinity}"),
                one.replace("{\"n\":1}", "{\"n\":01}"), one.replace("{\"n\":1}", "{\"n\":1.}"),
                one.replace("{\"n\":1}", "{\"n\":0x1F}"), one.replace("{\"n\":1}", "{\"n\":+1}"),
                one.replace("{\"n\":1}", "{\"n\":1e999999}"), one.replace("{\"n\":1}", "{\"n\":-1e-999999}"),
                one.replace("{\"n\":1}", "{\"n\":1e9999999999}"), one.replace("\"c-one\"", "\"c-\\x41\""),
                one.replace("\"c-one\"", "\"c-\\u00\""), one.replace("\"c-one\"", "\"c-one"),
                "[".repeat(100_000) + "]".repeat(100_000), "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
                one.replace("{\"n\":1}", "{\"n\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"),
                one.replace("{\"n\":1}", nested(33)),
                "{\"topic\":\"" + topic + "\",\"topic\":\"" + topic + "-2\"," + one.substring(one.indexOf("\"event_id\"")),
                "\uFEFF" + one)) {
            requests.add(Request.publish("body " + abbreviate(body), body));
        }
        for (byte[] bad : INVALID_UTF8) {
            requests.add(Request.publish("invalid UTF-8 " + hex(bad), JSON,
                    replace(utf8(valid), utf8("c-1"), concat(utf8("c-"), bad))));
        }
        requests.add(Request.publish("UTF-16 body", JSON, valid.getBytes(StandardCharsets.UTF_16)));
        requests.add(Request.publish("Latin-1 body", JSON, valid.replace("c-1", "c-\u00e9").getBytes(
                StandardCharsets.ISO_8859_1)));
        requests.add(Request.publish("no Content-Type", null, utf8(valid)));
        for (String type : WRONG_CONTENT_TYPES) {
            requests.add(Request.publish("Content-Type " + type, type, utf8(valid)));
        }
        requests.add(Request.publish("plain events as a structured CloudEvent", "application/cloudevents+json",
                utf8(one)));
        requests.add(Request.publish("one object as a CloudEvents batch", "application/cloudevents-batch+json",
                utf8(cloudEvent(topic, "ce-1"))));
        requests.add(Request.publish("CloudEvent without time", "application/cloudevents+json",
                utf8(cloudEvent(topic, "ce-2").replace(",\"time\":\"2026-11-21T10:15:30Z\"", ""))));
        requests.add(Request.publish("CloudEvent with data 5,000 deep", "application/cloudevents+json",
                utf8(cloudEvent(topic, "ce-3").replace("{\"n\":1}", nested(5_000)))));
        requests.add(Request.publish("CloudEvents batch 5,000 deep", "application/cloudevents-batch+json",
                utf8("[".repeat(5_000) + "]".repeat(5_000))));
        requests.add(Request.publish("CloudEvent with a 1e9999999999 number", "application/cloudevents+json",
                utf8(cloudEvent(topic, "ce-4").replace("{\"n\":1}", "{\"n\":1e9999999999}"))));
        for (String number : List.of("1e999999", "-1e999999", "1e-999999", "1" + "0".repeat(200_000))) {
            requests.add(Request.publish("CloudEvent extension " + abbreviate(number), "application/cloudevents+json",
                    utf8(cloudEvent(topic, "ce-ext").replace("\"specversion\":\"1.0\"",
                            "\"specversion\":\"1.0\",\"ext\":" + number))));
        }
        requests.add(Request.publish("CloudEvents batch of 10,001", "application/cloudevents-batch+json",
                utf8(IntStream.range(0, 10_001).mapToObj(i -> cloudEvent(topic, "ce-many-" + i))
                        .collect(Collectors.joining(",", "[", "]")))));
        requests.add(new Request("binary CloudEvent without ce-time", "POST", "/publish", Map.of(
                "Content-Type", JSON, "ce-specversion", "1.0", "ce-id", "ce-5", "ce-source", "it", "ce-type", topic),
                utf8("{\"n\":1}")));
        requests.add(new Request("binary CloudEvent with bad percent-encoding", "POST", "/publish", Map.of(
                "Content-Type", JSON, "ce-specversion", "1.0", "ce-id", "ce-%zz", "ce-source", "it", "ce-type", topic,
                "ce-time", "2026-11-21T10:15:30Z"), utf8("{\"n\":1}")));

        requests.add(Request.publish("body over 10 MiB", JSON, utf8("[" + one.replace("{\"n\":1}",
                "{\"pad\":\"" + "p".repeat(11 * 1024 * 1024) + "\"}") + "]")));
        requests.add(Request.publish("10,001 events", batch(topic, "many", 10_001)));
        requests.add(Request.publish("payload over 64 KiB", one.replace("{\"n\":1}",
                "{\"pad\":\"" + "p".repeat(70_000) + "\"}")));
        requests.add(Request.publish("topic of 100,000 characters", batch(topic, "c", 2).replace(
                "\"topic\":\"" + topic + "\"", "\"topic\":\"" + "t".repeat(100_000) + "\"")));
        requests.add(Request.publish("1,000 invalid events", IntStream.range(0, 1_000)
                .mapToObj(i -> event(topic, "")).collect(Collectors.joining(",", "[", "]"))));

        for (String key : List.of("k".repeat(5_000), "key\u0001", "", " ", "key\u00e9")) {
            requests.add(new Request("Idempotency-Key " + abbreviate(key), "POST", "/publish",
                    Map.of("Content-Type", JSON, "Idempotency-Key", key), utf8(valid)));
        }
        for (String accept : List.of("garbage", "text/html", "application/xml", "application/")) {
            requests.add(new Request("Accept " + accept, "POST", "/publish",
                    Map.of("Content-Type", JSON, "Accept", accept), utf8(valid)));
        }
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            requests.add(new Request(method + " /publish", method, "/publish", Map.of("Content-Type", JSON),
                    method.equals("GET") || method.equals("DELETE") ? null : utf8(valid)));
        }
        requests.add(new Request("POST /stats", "POST", "/stats", Map.of("Content-Type", JSON), utf8(valid)));
        requests.add(new Request("DELETE /events", "DELETE", "/events", Map.of(), null));
        for (String target : List.of("/events?topic=%00", "/events?source=" + "s".repeat(300),
                "/events?topic=t&reason=%0d%0aX:1", "/events/t/never-stored?reason=%00")) {
            requests.add(new Request("DELETE " + abbreviate(target), "DELETE", target, Map.of(), null));
        }
        requests.add(Request.get("GET /erasures/not-a-number", "/erasures/not-a-number"));
        for (String query : List.of("limit=-1", "limit=0", "limit=1001", "limit=99999999999999999999", "limit=1e3",
                "limit=abc", "limit=%00", "after=AAAA", "after=%27%20OR%201%3D1--", "after=" + "A".repeat(10_000),
                "after=eyJzZXEiOi0xfQ", "after=e30", "after=..%2F..%2Fetc%2Fpasswd", "topic=%00", "topic=%0d%0aX:1",
                "topic=" + "t".repeat(300), "source=%7F", "source=" + "s".repeat(300),
                "limit=10&after=%FF", "wait=%00", "wait=99999999999s", "wait=-5", "wait=PT999999H",
                "wait=1e3", "order=desc&wait=1s")) {
            requests.add(Request.get("GET /events?" + abbreviate(query), "/events?" + query));
        }
        for (String query : List.of("limit=-5", "limit=abc", "topic=%00", "topic=" + "t".repeat(300))) {
            requests.add(Request.get("GET /conflicts?" + abbreviate(query), "/conflicts?" + query));
        }
        requests.add(Request.get("GET /events?source= without topic (a scan of every event)", "/events?source=it"));
        for (String query : List.of("topics_limit=0", "topics_limit=1001", "topics_limit=abc",
                "topics_limit=99999999999", "topic=a&topics_after=b")) {
            requests.add(Request.get("GET /stats?" + query, "/stats?" + query));
        }
        requests.add(new Request("path traversal", "GET", "/..%2F..%2Fetc%2Fpasswd", Map.of(), null, true));
        requests.add(Request.get("unknown path", "/admin"));
        return requests;
    }

    /**
     * Valid batches of one to four events, each broken in exactly one place by one of the mutations, chosen by a
     * generator seeded with {@code seed}: the same seed gives the same requests.
     */
    public static List<Request> generated(String topic, long seed, int count) {
        Random random = new Random(seed);
        List<Request> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(mutate(topic, "g" + i, random));
        }
        return requests;
    }

    private static Request mutate(String topic, String prefix, Random random) {
        int size = 1 + random.nextInt(4);
        int bad = random.nextInt(size);
        List<Map<String, String>> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            events.add(fields(topic, prefix + "-" + i));
        }
        Map<String, String> target = events.get(bad);
        String field = pick(random, TEXT_FIELDS);
        String name;
        switch (random.nextInt(17)) {
            case 0 -> {
                field = pick(random, ALL_FIELDS);
                target.remove(field);
                name = "missing " + field;
            }
            case 1 -> {
                target.put(field, pick(random, WRONG_TYPES));
                name = "non-string " + field;
            }
            case 2 -> {
                target.put("payload", pick(random, "\"{}\"", "42", "[]", "[{}]", "null", "true", "\"\""));
                name = "non-object payload";
            }
            case 3 -> {
                target.put(field, quoted(pick(random, "", " ", "   ", "\\t", "\\n\\r", "\u3000", "\\u2003")));
                name = "blank " + field;
            }
            case 4 -> {
                String unit = pick(random, "x", "\u00e9", "\uD83D\uDE00", "\u4e2d");
                target.put(field, quoted(unit.repeat(256 + random.nextInt(5_000))));
                name = "over-long " + field;
            }
            case 5 -> {
                int control = random.nextBoolean() ? random.nextInt(0x20) : 0x7F + random.nextInt(0x21);
                target.put(field, quoted(insert(random, "value", String.format("\\u%04x", control))));
                name = "control character U+" + Integer.toHexString(control) + " in " + field;
            }
            case 6 -> {
                int surrogate = 0xD800 + random.nextInt(0x800);
                target.put(field, quoted(insert(random, "value", String.format("\\u%04x", surrogate))));
                name = "lone surrogate in " + field;
            }
            case 7 -> {
                target.put("timestamp", random.nextInt(4) == 0 ? pick(random, WRONG_TYPES)
                        : quoted(pick(random, BAD_TIMESTAMPS)));
                name = "bad timestamp";
            }
            case 8 -> {
                target.put("payload", nested(33 + random.nextInt(200)));
                name = "payload nested too deep";
            }
            case 9 -> {
                target.put("payload", "{\"pad\":\"" + "p".repeat(65_537 + random.nextInt(50_000)) + "\"}");
                name = "payload over 64 KiB";
            }
            case 10 -> {
                target.put("payload", random.nextBoolean() ? "{\"n\":1e" + (131_073 + random.nextInt(1_000_000)) + "}"
                        : "{\"n\":[1,-1e-" + (16_384 + random.nextInt(1_000_000)) + "]}");
                name = "payload number out of range";
            }
            case 11 -> {
                target.put("payload", random.nextBoolean() ? "{\"a\":\"x\\u0000\"}" : "{\"a\\u0000\":1}");
                name = "NUL in payload";
            }
            case 12 -> {
                events.set(bad, Map.of("", pick(random, WRONG_TYPES)));
                name = "event that is not an object";
            }
            case 13 -> {
                String body = render(events);
                int cut = 1 + random.nextInt(body.length() - 1);
                return Request.publish("body truncated at " + cut, body.substring(0, cut));
            }
            case 14 -> {
                String body = render(events);
                byte[] invalid = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
                return Request.publish("invalid UTF-8 " + hex(invalid) + " in an event id", JSON,
                        replace(utf8(body), utf8(prefix + "-" + bad), concat(utf8(prefix + "-"), invalid)));
            }
            case 15 -> {
                String body = render(events);
                int at = structuralPosition(body, random);
                return Request.publish("'" + body.charAt(at) + "' at " + at + " replaced",
                        body.substring(0, at) + pick(random, "#", "", ";", "'", "\\") + body.substring(at + 1));
            }
            default -> {
                return Request.publish("valid body as " + pick(random, WRONG_CONTENT_TYPES), pick(random,
                        WRONG_CONTENT_TYPES), utf8(render(events)));
            }
        }
        return Request.publish(name + " (event " + bad + " of " + size + ")", render(events));
    }

    /** A position outside every string whose character the JSON grammar needs ({, }, [, ], :, ", ,). */
    private static int structuralPosition(String json, Random random) {
        List<Integer> positions = new ArrayList<>();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    positions.add(i);
                }
            } else if (c == '"') {
                inString = true;
                positions.add(i);
            } else if ("{}[]:,".indexOf(c) >= 0) {
                positions.add(i);
            }
        }
        return positions.get(random.nextInt(positions.size()));
    }

    private static Map<String, String> fields(String topic, String id) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("topic", quoted(topic));
        fields.put("event_id", quoted(id));
        fields.put("timestamp", quoted("2026-11-21T10:15:30Z"));
        fields.put("source", quoted("it-hostile"));
        fields.put("payload", "{\"n\":1}");
        return fields;
    }

    private static String render(List<Map<String, String>> events) {
        return events.stream()
                .map(fields -> fields.containsKey("") ? fields.get("") : fields.entrySet().stream()
                        .map(field -> quoted(field.getKey()) + ":" + field.getValue())
                        .collect(Collectors.joining(",", "{", "}")))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String event(String topic, String id) {
        return render(List.of(fields(topic, id))).replaceAll("^\\[|]$", "");
    }

    private static String batch(String topic, String prefix, int size) {
        return render(IntStream.range(0, size).mapToObj(i -> fields(topic, prefix + "-" + (i + 1))).toList());
    }

    private static String cloudEvent(String topic, String id) {
        JsonObject event = Json.createObjectBuilder().add("specversion", "1.0").add("id", id).add("source", "it")
                .add("type", topic).add("time", "2026-11-21T10:15:30Z").build();
        String text = event.toString();
        return text.substring(0, text.length() - 1) + ",\"data\":{\"n\":1}}";
    }

    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static String insert(Random random, String text, String inserted) {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + inserted + text.substring(at);
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }

    /** {@code data} with the first occurrence of {@code what} replaced by {@code with}. */
    private static byte[] replace(byte[] data, byte[] what, byte[] with) {
        outer:
        for (int i = 0; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(data, 0, i);
            out.writeBytes(with);
            out.write(data, i + what.length, data.length - i - what.length);
            return out.toByteArray();
        }
        throw new IllegalArgumentException("not found: " + new String(what, StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02X", b & 0xFF));
        }
        return text.toString();
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "... (" + text.length() + " chars)" : oneLine;
    }
}
