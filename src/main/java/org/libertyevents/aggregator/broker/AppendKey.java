package org.libertyevents.aggregator.broker;

import java.time.Duration;

/**
 * The Idempotency-Key of an asynchronous publish, as the broker marks it: the scoped key, the fingerprint of its
 * request, and how long the marker lasts if nobody {@link RedisStreams#forget forgets} it (the key's own lifetime).
 */
public record AppendKey(String key, String fingerprint, Duration ttl) {
}
