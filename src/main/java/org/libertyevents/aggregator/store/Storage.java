package org.libertyevents.aggregator.store;

import java.time.Instant;

/**
 * What the stored events take: payloads and remembered keys, in rows and bytes (table and indexes; on PostgreSQL
 * the planner's row estimates, which {@code ANALYZE} and autovacuum keep current, so that reading them costs
 * nothing on a table of millions), and when the oldest payload goes.
 *
 * @param oldestPayload when the oldest payload kept was received, or null if unknown or none (on PostgreSQL: the
 *                      start of the oldest payload partition, null for the one of before partitioning)
 * @param nextExpiry    when retention next removes payloads, or null without retention or payloads
 */
public record Storage(long payloadRows, long payloadBytes, long keyRows, long keyBytes, Instant oldestPayload,
                      Instant nextExpiry) {
}
