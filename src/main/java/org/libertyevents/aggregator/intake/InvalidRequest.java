package org.libertyevents.aggregator.intake;

import java.util.List;

/**
 * Why a request body was refused while it was read into events; nothing of the request is published. The HTTP
 * layer ({@code api}) answers it as problem+json: {@link Kind} chooses the problem type and status, and
 * {@link #detail()}, {@link #errors()} and {@link #omitted()} fill it in.
 */
public final class InvalidRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of fault the request has; each is one problem type. */
    public enum Kind {
        /** Not JSON, not UTF-8, empty or incomplete: answered 400. */
        MALFORMED,
        /** A body or batch past its limit: answered 413. */
        TOO_LARGE,
        /** A body that did not arrive within its deadline: answered 408. */
        TIMED_OUT,
        /** Well-formed JSON whose events break the field rules, each named in {@link #errors()}: answered 422. */
        INVALID_EVENTS
    }

    private final Kind kind;
    private final transient List<FieldError> errors;
    private final int omitted;

    private InvalidRequest(Kind kind, String detail, List<FieldError> errors, int omitted) {
        super(detail, null, false, false);
        this.kind = kind;
        this.errors = List.copyOf(errors);
        this.omitted = omitted;
    }

    static InvalidRequest malformed(String detail) {
        return new InvalidRequest(Kind.MALFORMED, detail, List.of(), 0);
    }

    static InvalidRequest tooLarge(String detail) {
        return new InvalidRequest(Kind.TOO_LARGE, detail, List.of(), 0);
    }

    /** The body went past its deadline ({@link BodyDeadlineExceededException}), wherever it was being read. */
    public static InvalidRequest timedOut() {
        return new InvalidRequest(Kind.TIMED_OUT,
                "the request body did not arrive in time; nothing of this request was stored", List.of(), 0);
    }

    /** The listed errors, of {@code errors.size() + omitted} found; the detail names the only one, or counts them. */
    static InvalidRequest invalidEvents(List<FieldError> errors, int omitted) {
        int total = errors.size() + omitted;
        String detail = total == 1
                ? errors.get(0).describe()
                : total + " problems were found; nothing of this request was stored";
        return new InvalidRequest(Kind.INVALID_EVENTS, detail, errors, omitted);
    }

    public Kind kind() {
        return kind;
    }

    /** This occurrence, in a sentence. */
    public String detail() {
        return getMessage();
    }

    /** The field-level reasons (for {@link Kind#INVALID_EVENTS}); otherwise empty. */
    public List<FieldError> errors() {
        return errors;
    }

    /** How many further field errors were found but not listed. */
    public int omitted() {
        return omitted;
    }
}
