package org.libertyevents.aggregator.intake;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a payload object's {@link CanonicalJson canonical} text straight from the parser's events, checking it by
 * the rules {@link EventFieldRules#canonicalPayload} applies to a parsed object, with the same outcome: the same
 * text, or the same reason for refusing it. Building the object first and then walking it cost more than the rest of
 * a request's parsing together. Members go into one buffer in arrival order; an object whose names did not arrive
 * in order (or repeat: the last value wins, at the place of the first, as in a parsed object) is rearranged in place
 * once it ends.
 */
final class CanonicalPayloadReader {

    private final JsonParser parser;
    private final int maxDepth;
    private final StringBuilder out = new StringBuilder(128);

    private CanonicalPayloadReader(JsonParser parser, int maxDepth) {
        this.parser = parser;
        this.maxDepth = maxDepth;
    }

    /**
     * Reads the rest of an object whose {@code START_OBJECT} the parser has just returned, to its end, and returns
     * its canonical text.
     *
     * @throws IllegalArgumentException with the reason the payload is refused, the whole object having been read
     * @throws PayloadUnreadable        when the parser cannot go on (nesting past its own limit)
     */
    static String read(JsonParser parser, int maxBytes, int maxDepth) {
        CanonicalPayloadReader reader = new CanonicalPayloadReader(parser, maxDepth);
        String problem;
        try {
            problem = reader.object(1);
        } catch (JsonException e) {
            throw e;
        } catch (RuntimeException e) {
            // Parsson refuses input nested past its own limit (about 1,000 levels) with a plain RuntimeException.
            throw new PayloadUnreadable(EventFieldRules.depthRule(maxDepth));
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return EventFieldRules.requireSize(reader.out.toString(), maxBytes);
    }

    /** The parser cannot read on: the caller reports {@link #getMessage()} and stops. */
    static final class PayloadUnreadable extends RuntimeException {
        PayloadUnreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A value whose first event the parser has just returned; returns its first problem, or null. */
    private String value(JsonParser.Event event, int depth) {
        switch (event) {
            case START_OBJECT -> {
                return object(depth);
            }
            case START_ARRAY -> {
                return array(depth);
            }
            case VALUE_STRING -> {
                String text = parser.getString();
                CanonicalJson.appendString(out, text);
                return EventFieldRules.checkString(text);
            }
            case VALUE_NUMBER -> {
                return number();
            }
            case VALUE_TRUE -> out.append("true");
            case VALUE_FALSE -> out.append("false");
            case VALUE_NULL -> out.append("null");
            default -> throw new IllegalStateException("unexpected " + event);
        }
        return null;
    }

    private String number() {
        String text = parser.getString();
        if (CanonicalJson.isCanonicalInteger(text)) {
            out.append(text);
            return null;
        }
        BigDecimal value;
        try {
            value = parser.getBigDecimal();
        } catch (NumberFormatException e) {
            // An exponent beyond 32 bits: no BigDecimal holds it.
            out.append('0');
            return EventFieldRules.numberRule();
        }
        out.append(CanonicalJson.number(value));
        return EventFieldRules.checkNumber(value);
    }

    private String array(int depth) {
        if (depth > maxDepth) {
            parser.skipArray();
            return EventFieldRules.depthRule(maxDepth);
        }
        String problem = null;
        out.append('[');
        boolean first = true;
        for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_ARRAY; next = parser.next()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            String itemProblem = value(next, depth + 1);
            if (problem == null) {
                problem = itemProblem;
            }
        }
        out.append(']');
        return problem;
    }

    private String object(int depth) {
        if (depth > maxDepth) {
            parser.skipObject();
            return EventFieldRules.depthRule(maxDepth);
        }
        int start = out.length();
        out.append('{');
        List<Member> members = new ArrayList<>();
        boolean ordered = true;
        for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_OBJECT; next = parser.next()) {
            String name = parser.getString();
            if (!members.isEmpty()) {
                out.append(',');
                ordered &= members.get(members.size() - 1).name.compareTo(name) < 0;
            }
            int from = out.length();
            CanonicalJson.appendString(out, name);
            out.append(':');
            String problem = EventFieldRules.checkString(name);
            String valueProblem = value(parser.next(), depth + 1);
            members.add(new Member(name, from, out.length(), problem != null ? problem : valueProblem));
        }
        out.append('}');
        if (ordered) {
            for (Member member : members) {
                if (member.problem != null) {
                    return member.problem;
                }
            }
            return null;
        }
        return rearrange(start, members);
    }

    /**
     * Rewrites the object that starts at {@code start} with its members sorted by name, the last of each name kept;
     * returns the first problem in the order a parsed object yields its members (by first arrival).
     */
    private String rearrange(int start, List<Member> members) {
        Map<String, Member> last = new HashMap<>(members.size() * 2);
        List<Member> firstArrivals = new ArrayList<>(members.size());
        for (Member member : members) {
            if (last.put(member.name, member) == null) {
                firstArrivals.add(member);
            }
        }
        String problem = null;
        for (Member first : firstArrivals) {
            Member kept = last.get(first.name);
            if (kept.problem != null) {
                problem = kept.problem;
                break;
            }
        }
        Member[] sorted = last.values().toArray(new Member[0]);
        Arrays.sort(sorted, (a, b) -> a.name.compareTo(b.name));
        StringBuilder rewritten = new StringBuilder(out.length() - start);
        rewritten.append('{');
        for (int i = 0; i < sorted.length; i++) {
            if (i > 0) {
                rewritten.append(',');
            }
            rewritten.append(out, sorted[i].from, sorted[i].to);
        }
        rewritten.append('}');
        out.setLength(start);
        out.append(rewritten);
        return problem;
    }

    /** A member as written: its name, where its {@code "name":value} text lies in the buffer, its first problem. */
    private record Member(String name, int from, int to, String problem) {
    }
}
