package org.libertyevents.aggregator.config;

/**
 * Limits a publish request must respect; a request over any of them is refused whole.
 *
 * @param maxBodyBytes      largest request body (413 above it)
 * @param maxBatchEvents    most events in one request (413 above it)
 * @param maxPayloadBytes   largest payload object, as compact UTF-8 JSON (422 above it)
 * @param maxPayloadDepth   deepest nesting of objects and arrays inside a payload (422 above it)
 * @param maxFieldLength    longest topic, event_id or source, in characters (422 above it)
 * @param maxReportedErrors how many field errors one problem response lists at most
 */
public record PublishLimits(long maxBodyBytes, int maxBatchEvents, int maxPayloadBytes, int maxPayloadDepth,
                            int maxFieldLength, int maxReportedErrors) {

    public PublishLimits {
        if (maxBodyBytes < 1 || maxBatchEvents < 1 || maxPayloadBytes < 2 || maxPayloadDepth < 1
                || maxFieldLength < 1 || maxReportedErrors < 1) {
            throw new IllegalArgumentException("publish limits must be positive: " + this);
        }
    }
}
