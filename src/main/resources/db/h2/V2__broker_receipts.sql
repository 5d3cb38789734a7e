-- One row per broker stream entry whose events are committed, written in the same transaction as the events.
-- A consumer that committed an entry but died before acknowledging it leaves the entry to be delivered again;
-- its receipt makes that redelivery a no-op instead of a second count of its events as duplicates.
-- Rows older than the stream's oldest unacknowledged entry can no longer be needed and are pruned.
CREATE TABLE IF NOT EXISTS broker_receipts (
    stream        VARCHAR(510) NOT NULL,
    entry_ms      BIGINT NOT NULL,
    entry_seq     BIGINT NOT NULL,
    committed_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (stream, entry_ms, entry_seq)
);
