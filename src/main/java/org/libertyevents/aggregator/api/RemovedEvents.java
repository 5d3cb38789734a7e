package org.libertyevents.aggregator.api;

import org.libertyevents.aggregator.config.RetentionSettings;
import org.libertyevents.aggregator.store.RemovedEvent;

import java.util.Optional;

/**
 * The answer to a read of an event that is not there: 410 Gone, saying when and why, for a remembered key whose
 * payload expired or was erased; 404 for a key never stored (or forgotten).
 */
final class RemovedEvents {

    private RemovedEvents() {
    }

    static Problem missing(String topic, String eventId, Optional<RemovedEvent> removed, RetentionSettings retention) {
        if (removed.isEmpty()) {
            return Problem.of("event-not-found", "Event not found", 404,
                    "no event " + eventId + " is stored in topic " + topic);
        }
        RemovedEvent event = removed.get();
        if (event.erased()) {
            return Problem.of("event-erased", "Event erased", 410, "event " + eventId + " of topic " + topic
                    + ", stored at " + event.firstSeen() + ", was erased at " + event.erasedAt() + " (" + event.reason()
                    + "); its key is kept, so a resend is a duplicate");
        }
        return Problem.of("event-expired", "Event expired", 410, "the payload of event " + eventId + " of topic "
                + topic + ", stored at " + event.firstSeen() + ", expired" + retention.payloads()
                .map(kept -> ": payloads are kept for " + kept + " (EVENTS_RETENTION)").orElse("")
                + "; its key is kept, so a resend is a duplicate");
    }
}
