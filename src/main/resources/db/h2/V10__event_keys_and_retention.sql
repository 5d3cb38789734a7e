-- Same tables as db/postgresql, without partitions: retention deletes expired payloads in batches by received_at.
-- The payload hash is kept as the hex text of its first 16 bytes.
CREATE TABLE IF NOT EXISTS event_keys (
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    topic         VARCHAR(510) NOT NULL,
    event_id      VARCHAR(510) NOT NULL,
    payload_hash  VARCHAR(32),
    CONSTRAINT event_keys_pkey PRIMARY KEY (topic, event_id)
);
CREATE INDEX IF NOT EXISTS event_keys_first_seen_idx ON event_keys (first_seen);
INSERT INTO event_keys (first_seen, topic, event_id, payload_hash)
SELECT received_at, topic, event_id, SUBSTRING(payload_hash, 1, 32) FROM events;

ALTER TABLE events DROP CONSTRAINT IF EXISTS events_topic_event_id_key;
ALTER TABLE events DROP COLUMN IF EXISTS payload_hash;
CREATE INDEX IF NOT EXISTS events_key_idx ON events (topic, event_id);
CREATE INDEX IF NOT EXISTS events_received_at_idx ON events (received_at);

CREATE TABLE IF NOT EXISTS erasures (
    topic      VARCHAR(510) NOT NULL,
    event_id   VARCHAR(510) NOT NULL,
    erased_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    reason     VARCHAR(510) NOT NULL,
    CONSTRAINT erasures_pkey PRIMARY KEY (topic, event_id)
);

ALTER TABLE topic_stats ADD COLUMN IF NOT EXISTS expired_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE topic_stats ADD COLUMN IF NOT EXISTS erased_count BIGINT NOT NULL DEFAULT 0;
