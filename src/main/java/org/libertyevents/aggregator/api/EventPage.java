package org.libertyevents.aggregator.api;

import java.util.List;

/** One page of {@code GET /events}; {@code next} is the cursor for the following page, or null at the end. */
public record EventPage(List<EventView> events, String next) {
}
