package org.libertyevents.aggregator.store;

import java.time.Instant;

/**
 * A remembered key whose payload is gone: erased ({@code erasedAt} and {@code reason} set) or expired.
 *
 * @param firstSeen when the event was stored
 * @param erasedAt  when it was erased, or null if it expired
 * @param reason    why it was erased, or null
 */
public record RemovedEvent(Instant firstSeen, Instant erasedAt, String reason) {

    public boolean erased() {
        return erasedAt != null;
    }
}
