package org.libertyevents.publisher.send;

import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The origins a run may send to: the aggregator's ({@code AGGREGATOR_URL}) and those {@code PUBLISHER_TARGETS}
 * adds. Without it, a caller could point the publisher at any host of its network and read from the run which
 * ones answer. Pure logic.
 */
public final class TargetAllowList {

    private final Origin aggregator;
    private final Set<Origin> allowed;

    private TargetAllowList(Origin aggregator, Set<Origin> allowed) {
        this.aggregator = aggregator;
        this.allowed = Collections.unmodifiableSet(allowed);
    }

    /**
     * @param aggregatorUrl the aggregator's base URL, always allowed
     * @param targets       comma-separated origins or URLs (only their origin counts); blanks and empty entries are
     *                      ignored
     * @throws IllegalArgumentException naming the first entry that is no http or https URL with a host
     */
    public static TargetAllowList parse(URI aggregatorUrl, String targets) {
        Origin aggregator = Origin.of(aggregatorUrl);
        Set<Origin> allowed = new LinkedHashSet<>();
        allowed.add(aggregator);
        Arrays.stream(targets.split(",")).map(String::strip).filter(entry -> !entry.isEmpty())
                .forEach(entry -> allowed.add(Origin.parse(entry)));
        return new TargetAllowList(aggregator, allowed);
    }

    /** Whether a run may send to {@code target}; false for anything that is not an http or https URL. */
    public boolean allows(URI target) {
        Origin origin = origin(target);
        return origin != null && allowed.contains(origin);
    }

    /** Whether {@code target} is the aggregator's origin, the only one that gets {@code AGGREGATOR_API_KEY}. */
    public boolean isAggregator(URI target) {
        return aggregator.equals(origin(target));
    }

    /** The allowed origins, the aggregator's first. */
    public Set<Origin> origins() {
        return allowed;
    }

    private static Origin origin(URI target) {
        try {
            return Origin.of(target);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
