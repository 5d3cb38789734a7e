package org.libertyevents.aggregator.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The series selectors of a PromQL expression, as far as the deployment checks need them: which metric each one
 * names and which labels it requires to equal a value. Functions and aggregation operators, their grouping label
 * lists ({@code by (...)}, {@code on (...)}...), range and subquery brackets, strings, numbers, durations and
 * Grafana variables ({@code $__rate_interval}) are skipped, so what remains are the metric names.
 */
public final class PromQl {

    /** A selector: the metric it names and its {@code label="value"} matchers. */
    public record Selector(String metric, Map<String, String> equalLabels) {
    }

    /** Operators and literals that read like names; aggregation operators, even when a by clause comes first. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");
    private static final Set<String> LABEL_LIST_KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private final String text;
    private int pos;

    private PromQl(String text) {
        this.text = text;
    }

    /** Every selector of {@code expression}, in order. */
    public static List<Selector> selectors(String expression) {
        return new PromQl(expression).parse();
    }

    private List<Selector> parse() {
        List<Selector> selectors = new ArrayList<>();
        while (skipSpace() < text.length()) {
            char c = text.charAt(pos);
            if (c == '"' || c == '\'' || c == '`') {
                skipString();
            } else if (c == '[') {
                skipPast(']');
            } else if (c == '$') {
                pos++;
                identifierOrBraces();
            } else if (Character.isDigit(c) || c == '.') {
                while (pos < text.length()
                        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                    pos++;
                }
            } else if (c == '{') {
                Map<String, String> labels = labelMatchers();
                String name = labels.remove("__name__");
                if (name != null) {
                    selectors.add(new Selector(name, labels));
                }
            } else if (isIdentifierStart(c)) {
                String word = identifier();
                boolean call = skipSpace() < text.length() && text.charAt(pos) == '(';
                String lower = word.toLowerCase(Locale.ROOT);
                if (LABEL_LIST_KEYWORDS.contains(lower)) {
                    if (call) {
                        skipPast(')');
                    }
                } else if (!call && !KEYWORDS.contains(lower)) {
                    Map<String, String> labels = pos < text.length() && text.charAt(pos) == '{'
                            ? labelMatchers() : new LinkedHashMap<>();
                    selectors.add(new Selector(word, labels));
                }
            } else {
                pos++;
            }
        }
        return selectors;
    }

    private int skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                || text.charAt(pos) == ':')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** A Grafana variable's name after its {@code $}: {@code name} or {@code {name:format}}. */
    private void identifierOrBraces() {
        if (pos < text.length() && text.charAt(pos) == '{') {
            skipPast('}');
        } else {
            identifier();
        }
    }

    private String skipString() {
        char quote = text.charAt(pos++);
        StringBuilder value = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != quote) {
            if (text.charAt(pos) == '\\' && quote != '`' && pos + 1 < text.length()) {
                pos++;
            }
            value.append(text.charAt(pos++));
        }
        if (pos >= text.length()) {
            throw new IllegalArgumentException("unterminated string in: " + text);
        }
        pos++;
        return value.toString();
    }

    /** Skips to just past {@code close}, strings included. */
    private void skipPast(char close) {
        while (++pos < text.length() && text.charAt(pos) != close) {
            char c = text.charAt(pos);
            if (c == '"' || c == '\'' || c == '`') {
                skipString();
                pos--;
            }
        }
        if (pos >= text.length()) {
            throw new IllegalArgumentException("no closing " + close + " in: " + text);
        }
        pos++;
    }

    /** Parses {@code {a="x", b=~"y"}} at pos; returns the {@code =} matchers. */
    private Map<String, String> labelMatchers() {
        Map<String, String> equal = new LinkedHashMap<>();
        pos++;
        while (skipSpace() < text.length() && text.charAt(pos) != '}') {
            if (text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            String label = identifier();
            skipSpace();
            int opStart = pos;
            while (pos < text.length() && "=!~".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String op = text.substring(opStart, pos);
            skipSpace();
            if (label.isEmpty() || op.isEmpty() || pos >= text.length() || "\"'`".indexOf(text.charAt(pos)) < 0) {
                throw new IllegalArgumentException("malformed label matcher at " + opStart + " in: " + text);
            }
            String value = skipString();
            if (op.equals("=")) {
                equal.put(label, value);
            }
        }
        if (pos >= text.length()) {
            throw new IllegalArgumentException("no closing } in: " + text);
        }
        pos++;
        return equal;
    }
}
