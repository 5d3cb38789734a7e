package org.libertyevents.aggregator.broker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Redis keys of one partition of the broker, all named after its stream, so that one name says which keys a
 * script touches: the stream itself, whose entries each hold up to {@code BROKER_ENTRY_MAX_EVENTS} events and their
 * body's length in bytes; {@code <stream>:backlog}, the events appended and not yet acknowledged;
 * {@code <stream>:backlog:bytes}, the bytes of their entries' bodies; {@code <stream>:dead}, the dead-letter stream,
 * which keeps its latest entries; {@code <stream>:dead:events}, the events ever moved there;
 * {@code <stream>:appended:<digest>}, the marker of an Idempotency-Key whose request was appended and whose answer is
 * not kept yet.
 *
 * <p>Partition {@code p} of {@code BROKER_STREAM} {@code s} is the stream <code>{s:p}</code>: the braces make it the
 * hash tag of every key of the partition, so that on a Redis Cluster they share one slot and a script may touch them
 * all. The stream {@code s} itself is what versions without partitions appended to; it is only drained.
 */
record StreamKeys(String stream, String backlog, String backlogBytes, String dead, String deadCount) {

    static StreamKeys of(String stream) {
        return new StreamKeys(stream, stream + ":backlog", stream + ":backlog:bytes", stream + ":dead",
                stream + ":dead:events");
    }

    /** Partition {@code partition} of the broker stream {@code stream}. */
    static StreamKeys partition(String stream, int partition) {
        return of("{" + stream + ":" + partition + "}");
    }

    /** The marker of an Idempotency-Key, named by its digest: keys are up to 255 characters of a client's choice. */
    String appendMarker(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return stream + ":appended:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
