package org.libertyevents.aggregator.intake;

/**
 * One reason a request was refused, tied to where it was found.
 *
 * @param index  the position in the batch, or {@code null} for a single event or the request as a whole
 * @param field  the offending field or query parameter, or {@code null} when the whole element is at fault
 * @param detail what is wrong, in a sentence a client developer can act on
 */
public record FieldError(Integer index, String field, String detail) {

    /** RFC 6901 JSON Pointer into the request body ({@code /3/topic}); the RFC 9457 examples name it "pointer". */
    public String pointer() {
        StringBuilder pointer = new StringBuilder();
        if (index != null) {
            pointer.append('/').append(index);
        }
        if (field != null) {
            pointer.append('/').append(field.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.isEmpty() ? "" : pointer.toString();
    }

    /** This error as a sentence of its own: {@code event 3: topic is required}. */
    String describe() {
        String where = index == null ? "" : "event " + index + ": ";
        return where + (field == null ? "" : field + " ") + detail;
    }
}
