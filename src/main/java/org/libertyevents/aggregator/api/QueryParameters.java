package org.libertyevents.aggregator.api;

/** Query parameters shared by the read resources, refused with 400 problem+json when out of range. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** A whole number from 1 to {@code max}, or {@code defaultValue} when the parameter is absent or empty. */
    static int count(String name, String value, int defaultValue, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ProblemException(Problem.invalidParameter(name, "must be a whole number from 1 to " + max));
    }
}
