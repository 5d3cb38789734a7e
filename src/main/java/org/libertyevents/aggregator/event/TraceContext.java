package org.libertyevents.aggregator.event;

import java.util.regex.Pattern;

/**
 * The W3C Trace Context an event was published in: a {@code traceparent} and, optionally, its {@code tracestate}.
 * It travels with the event to the store and on to subscribers unchanged. Values that break the W3C rules are not
 * errors: the recommendation says to ignore them (and to restart the trace), so {@link #of} drops them.
 *
 * @param traceparent {@code <version>-<trace-id>-<parent-id>-<trace-flags>}, as received
 * @param tracestate  the vendors' list that goes with it, or null
 */
public record TraceContext(String traceparent, String tracestate) {

    /** Version 00, and the part of a later version that version 00 defines (a later one may add fields). */
    private static final Pattern TRACEPARENT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?");
    private static final String ZERO_TRACE_ID = "0".repeat(32);
    private static final String ZERO_PARENT_ID = "0".repeat(16);

    /** A list-member: a simple or multi-tenant key, {@code =}, and a value of printable ASCII but , and =. */
    private static final Pattern MEMBER = Pattern.compile(
            "(?:[a-z][a-z0-9_*/-]{0,255}|[a-z0-9][a-z0-9_*/-]{0,240}@[a-z][a-z0-9_*/-]{0,13})"
                    + "=[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");
    private static final int MAX_MEMBERS = 32;
    /** What the recommendation asks every vendor to pass on; a longer list is dropped rather than cut. */
    private static final int MAX_TRACESTATE_CHARS = 512;

    /**
     * The trace context of a valid {@code traceparent}, with {@code tracestate} if that is valid too; null when
     * {@code traceparent} is absent or invalid (then {@code tracestate} does not count either, as the
     * recommendation says).
     */
    public static TraceContext of(String traceparent, String tracestate) {
        String parent = validTraceparent(traceparent);
        return parent == null ? null : new TraceContext(parent, validTracestate(tracestate));
    }

    /** The characters of its texts, for estimates of an event's size. */
    public int chars() {
        return traceparent.length() + (tracestate == null ? 0 : tracestate.length());
    }

    static String validTraceparent(String value) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        var match = TRACEPARENT.matcher(text);
        if (!match.matches()) {
            return null;
        }
        String version = match.group(1);
        // ff is forbidden; version 00 has exactly four fields, a later version may add "-..." after them.
        if (version.equals("ff") || (version.equals("00") && match.group(4) != null)
                || match.group(2).equals(ZERO_TRACE_ID) || match.group(3).equals(ZERO_PARENT_ID)) {
            return null;
        }
        return text;
    }

    static String validTracestate(String value) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        if (text.isEmpty() || text.length() > MAX_TRACESTATE_CHARS) {
            return null;
        }
        int members = 0;
        for (String member : text.split(",", -1)) {
            String trimmed = member.strip();
            if (trimmed.isEmpty()) {
                continue; // empty list-members are allowed
            }
            if (++members > MAX_MEMBERS || !MEMBER.matcher(trimmed).matches()) {
                return null;
            }
        }
        return members == 0 ? null : text;
    }
}
