-- Same columns and indexes as db/postgresql, without transaction ids: every row has tx 0, so the feed is in seq
-- order, and the horizon lets every committed row through (see README, Known issues).
ALTER TABLE events ADD COLUMN IF NOT EXISTS tx BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX IF NOT EXISTS events_tx_seq_idx ON events (tx, seq);
CREATE INDEX IF NOT EXISTS events_topic_tx_seq_idx ON events (topic, tx, seq);
DROP INDEX IF EXISTS events_topic_seq_idx;
CREATE VIEW IF NOT EXISTS events_horizon AS SELECT CAST(9223372036854775807 AS BIGINT) AS tx;
