package org.libertyevents.aggregator.api;

import java.util.List;

/**
 * One page of {@code GET /events}. {@code next} is the cursor of the following page, or null when none is there yet;
 * {@code cursor} is always there: the position after this page, for a reader that follows the feed and asks again
 * later (as a consumer keeps its offset), so it gets every event once.
 */
public record EventPage(List<EventView> events, String next, String cursor) {
}
