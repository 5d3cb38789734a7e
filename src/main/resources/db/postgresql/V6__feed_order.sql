-- GET /events reads in the order (tx, seq), tx being the id of the transaction that stored the row, and only rows
-- whose transaction ended before the oldest still running one began: no row can commit later in front of them.
-- Rows stored before this migration get tx 0 (a constant default changes no row); new rows their writer's id.
ALTER TABLE events ADD COLUMN IF NOT EXISTS tx BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ALTER COLUMN tx SET DEFAULT CAST(CAST(pg_current_xact_id() AS text) AS bigint);
CREATE INDEX IF NOT EXISTS events_tx_seq_idx ON events (tx, seq);
CREATE INDEX IF NOT EXISTS events_topic_tx_seq_idx ON events (topic, tx, seq);
DROP INDEX IF EXISTS events_topic_seq_idx;
-- The oldest transaction id still running in the cluster (the next one to be given out when none is).
CREATE OR REPLACE VIEW events_horizon AS
SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint) AS tx;
