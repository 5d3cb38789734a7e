-- The block range index on event_keys.first_seen cost about a tenth of the batch throughput (measured with
-- pgbench, 500-row inserts). Only DEDUP_RETENTION needs it: RetentionStore builds it, concurrently, when that is set.
DROP INDEX IF EXISTS event_keys_first_seen_idx;
