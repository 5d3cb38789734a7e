package org.libertyevents.aggregator.api;

import java.util.List;
import java.util.Locale;

/** Reads the {@code Prefer} request header (RFC 7240). */
final class Preferences {

    static final String RESPOND_ASYNC = "respond-async";

    private Preferences() {
    }

    /**
     * True when one of the header's values asks for {@code respond-async}. Preference names are case-insensitive
     * tokens; a value may list several preferences separated by commas, each with optional {@code =value} and
     * {@code ;parameters}.
     */
    static boolean respondAsync(List<String> headerValues) {
        if (headerValues == null) {
            return false;
        }
        for (String value : headerValues) {
            if (value == null) {
                continue;
            }
            for (String preference : value.split(",")) {
                String token = preference.split("[;=]", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (token.equals(RESPOND_ASYNC)) {
                    return true;
                }
            }
        }
        return false;
    }
}
