package org.libertyevents.aggregator.intake;

import java.util.ArrayList;
import java.util.List;

/**
 * The errors found in one publish request, whatever its format. Only the first {@code maxReported} are listed (a
 * 10,000-event batch could otherwise answer with 10,000 errors); the rest are counted.
 */
final class FieldErrors {

    private final int maxReported;
    private final List<FieldError> listed = new ArrayList<>();
    private int omitted;

    FieldErrors(int maxReported) {
        this.maxReported = maxReported;
    }

    void add(Integer index, String field, String detail) {
        if (listed.size() < maxReported) {
            listed.add(new FieldError(index, field, detail));
        } else {
            omitted++;
        }
    }

    /** All errors found so far, listed or not: compare two counts to tell whether something failed between. */
    int count() {
        return listed.size() + omitted;
    }

    /** The refusal for these errors. */
    InvalidRequest problem() {
        return InvalidRequest.invalidEvents(listed, omitted);
    }

    /** Refuses the whole request if anything was wrong with it. */
    void throwIfAny() {
        if (count() > 0) {
            throw problem();
        }
    }
}
