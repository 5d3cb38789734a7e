package org.libertyevents.aggregator.store;

/**
 * What one retention pass did.
 *
 * @param partitionsCreated payload partitions created ahead (PostgreSQL)
 * @param partitionsDropped payload partitions dropped whole (PostgreSQL)
 * @param expired           payloads removed, in dropped partitions or one by one
 * @param keysForgotten     keys forgotten after {@code DEDUP_RETENTION}
 */
public record RetentionPass(int partitionsCreated, int partitionsDropped, long expired, long keysForgotten) {
}
