package org.libertyevents.aggregator.broker;

/**
 * Reads the JSON an {@link EntryCodec} wrote, token by token, refusing anything else with an
 * {@link IllegalArgumentException}. Objects are not parsed: {@link #object()} returns their text as it stands.
 */
final class EntryScanner {

    private final String text;
    private int at;

    EntryScanner(String text) {
        this.text = text;
    }

    /** The next character after any whitespace, without taking it; 0 at the end. */
    char peek() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at < text.length() ? text.charAt(at) : 0;
    }

    void expect(char c) {
        if (!skipIf(c)) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + ", found " + found());
        }
    }

    boolean skipIf(char c) {
        if (peek() == c && at < text.length()) {
            at++;
            return true;
        }
        return false;
    }

    void expectEnd() {
        if (peek() != 0 || at < text.length()) {
            throw new IllegalArgumentException("text after the events array, at " + at);
        }
    }

    /** The rest of a literal whose first character was just taken ({@code "ull"} of {@code null}): null. */
    String rest(String literal) {
        if (!text.startsWith(literal, at)) {
            throw new IllegalArgumentException("expected a literal at " + at + ", found " + found());
        }
        at += literal.length();
        return null;
    }

    /** A JSON string, unescaped. */
    String string() {
        expect('"');
        StringBuilder value = null;
        int plain = at;
        while (true) {
            char c = next();
            if (c == '"') {
                return value == null ? text.substring(plain, at - 1) : value.append(text, plain, at - 1).toString();
            }
            if (c == '\\') {
                if (value == null) {
                    value = new StringBuilder();
                }
                value.append(text, plain, at - 1).append(unescape(next()));
                plain = at;
            }
        }
    }

    /** A JSON object's text, from its brace to the matching one. */
    String object() {
        expect('{');
        return nested();
    }

    /**
     * Passes over one JSON value of any kind without reading it: a field a later version appended to an event, which
     * this one does not know.
     */
    void skipValue() {
        char c = peek();
        if (c == '"') {
            string();
        } else if (c == '{' || c == '[') {
            at++;
            nested();
        } else {
            // A number or true, false, null: up to the next separator.
            int start = at;
            while (at < text.length() && ",]}".indexOf(text.charAt(at)) < 0
                    && !Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at == start) {
                throw new IllegalArgumentException("expected a value at " + at + ", found " + found());
            }
        }
    }

    /** The text of an object or array whose opening brace was just taken, to the matching closing one. */
    private String nested() {
        int start = at - 1;
        int depth = 1;
        boolean inString = false;
        while (depth > 0) {
            char c = next();
            if (inString) {
                if (c == '\\') {
                    next();
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return text.substring(start, at);
    }

    private char unescape(char c) {
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                int unit = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(next(), 16);
                    if (digit < 0) {
                        throw new IllegalArgumentException("a malformed \\u escape at " + at);
                    }
                    unit = unit * 16 + digit;
                }
                yield (char) unit;
            }
            default -> throw new IllegalArgumentException("an unknown escape \\" + c + " at " + at);
        };
    }

    private char next() {
        if (at >= text.length()) {
            throw new IllegalArgumentException("the entry ends early");
        }
        return text.charAt(at++);
    }

    private String found() {
        return at < text.length() ? "'" + text.charAt(at) + "'" : "the end";
    }
}
