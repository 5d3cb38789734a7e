-- Keys apart from payloads, so that payloads can expire while deduplication remembers. event_keys holds every
-- (topic, event_id) ever stored: its primary key is now the constraint that makes an event take effect once, and a
-- row keeps the first 16 bytes of the payload's SHA-256 (what makes a resend a conflict) and when the key was first
-- seen (what DEDUP_RETENTION goes by). events keeps the payloads, partitioned by received_at so that retention drops
-- whole partitions instead of deleting rows; the table of today becomes its first partition, in place.
CREATE TABLE event_keys (
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    topic         VARCHAR(255) NOT NULL,
    event_id      VARCHAR(255) NOT NULL,
    payload_hash  BYTEA,
    CONSTRAINT event_keys_pkey PRIMARY KEY (topic, event_id)
);
-- Keys are written in time order, so a block range index (a few pages for millions of rows) finds the oldest
-- (V12 leaves it to DEDUP_RETENTION).
CREATE INDEX event_keys_first_seen_idx ON event_keys USING brin (first_seen);
INSERT INTO event_keys (first_seen, topic, event_id, payload_hash)
SELECT received_at, topic, event_id, decode(substr(payload_hash, 1, 32), 'hex') FROM events;

-- seq goes on from a sequence of its own: a partitioned table here cannot keep the identity column.
CREATE SEQUENCE events_seq;
SELECT setval('events_seq', (SELECT COALESCE(MAX(seq), 0) + 1 FROM events), false);
ALTER TABLE events ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE events DROP CONSTRAINT events_topic_event_id_key;
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events RENAME TO events_v9;
CREATE TABLE events (LIKE events_v9 INCLUDING DEFAULTS INCLUDING COMMENTS) PARTITION BY RANGE (received_at);
ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq');
ALTER SEQUENCE events_seq OWNED BY events.seq;

-- The payload partitions, besides the default one, and the range each covers (EventPartitions keeps this up).
CREATE TABLE event_partitions (
    name           VARCHAR(63) PRIMARY KEY,
    received_from  TIMESTAMP WITH TIME ZONE,
    received_to    TIMESTAMP WITH TIME ZONE NOT NULL
);
-- The old table covers everything received until now (or its latest row, should a clock be ahead).
INSERT INTO event_partitions (name, received_from, received_to)
SELECT 'events_v9', NULL, date_trunc('second', GREATEST(MAX(received_at), now())) + interval '1 second'
FROM events_v9;
-- A partition bound is a constant expression evaluated once, so the bound just recorded is read through a function.
CREATE FUNCTION events_v9_bound() RETURNS TIMESTAMP WITH TIME ZONE LANGUAGE sql STABLE
AS 'SELECT received_to FROM event_partitions WHERE name = ''events_v9''';
ALTER TABLE events ATTACH PARTITION events_v9 FOR VALUES FROM (MINVALUE) TO (events_v9_bound());
DROP FUNCTION events_v9_bound();
-- Rows no range partition covers (a clock far ahead, an entry delivered after its partition expired) land here.
CREATE TABLE events_default PARTITION OF events DEFAULT;
-- The payload's hash is kept with its key now; dropping the column costs no rewrite.
ALTER TABLE events DROP COLUMN payload_hash;

-- Matching indexes of events_v9 are attached rather than built again; (topic, event_id) finds one event by its key.
CREATE INDEX events_feed_idx ON events (tx, seq);
CREATE INDEX events_topic_feed_idx ON events (topic, tx, seq);
CREATE INDEX events_key_idx ON events (topic, event_id);

-- Erased events: the key stays in event_keys (a resend is a duplicate), the payload goes, and this row says when.
CREATE TABLE erasures (
    topic      VARCHAR(255) NOT NULL,
    event_id   VARCHAR(255) NOT NULL,
    erased_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    reason     VARCHAR(255) NOT NULL,
    CONSTRAINT erasures_pkey PRIMARY KEY (topic, event_id)
);

-- Stored events whose payload has gone, by cause; unique_count still counts them (it counts keys taken).
ALTER TABLE topic_stats ADD COLUMN expired_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE topic_stats ADD COLUMN erased_count BIGINT NOT NULL DEFAULT 0;
