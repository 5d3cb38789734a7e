package org.libertyevents.aggregator.store;

import org.libertyevents.aggregator.event.EventKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * What {@code event_keys} remembers of a key: the first 16 bytes of the SHA-256 of its topic, a NUL and its event
 * id, as a uuid (16 bytes, fixed width). Topics hold no control characters, so the NUL cannot be part of one and
 * two keys never hash the same input; two keys meeting by chance is a 2<sup>-128</sup> event per pair. The SQL
 * function {@code event_key_hash} (PostgreSQL) and the H2 migration compute the same value.
 */
final class KeyHash {

    private KeyHash() {
    }

    static UUID of(EventKey key) {
        return of(key.topic(), key.eventId());
    }

    static UUID of(String topic, String eventId) {
        MessageDigest digest = Sha256.digest();
        digest.update(topic.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        ByteBuffer hash = ByteBuffer.wrap(digest.digest(eventId.getBytes(StandardCharsets.UTF_8)));
        return new UUID(hash.getLong(), hash.getLong());
    }
}
