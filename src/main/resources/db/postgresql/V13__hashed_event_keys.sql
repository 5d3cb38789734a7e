-- A remembered key costs what deduplication needs and no more: the first 16 bytes of the SHA-256 of its topic and
-- event id (a uuid, fixed width), when it was first seen, and the first 8 bytes of its payload's hash. That is 60
-- bytes of row and 28 of index, against about 147 for the key in text: the key table is the one that grows forever.
-- The payload keeps the key in text, as do tombstones, for anyone reading them.
-- event_key_hash gives the key's hash from SQL (an operator's look-up, this migration); the service computes it.
CREATE FUNCTION event_key_hash(topic text, event_id text) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS 'SELECT CAST(encode(substr(sha256(convert_to(topic, ''UTF8'') || ''\x00''::bytea || convert_to(event_id, ''UTF8'')), 1, 16), ''hex'') AS uuid)';

-- Built without its primary key, which is then made in one sorted pass (packed pages, no page splits).
CREATE TABLE event_keys_v13 (
    key_hash      UUID NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    payload_hash  BIGINT
);
INSERT INTO event_keys_v13 (key_hash, first_seen, payload_hash)
SELECT event_key_hash(topic, event_id), first_seen,
       CAST(CAST(('x' || encode(substr(payload_hash, 1, 8), 'hex')) AS bit(64)) AS bigint)
FROM event_keys;
DROP TABLE event_keys;
ALTER TABLE event_keys_v13 RENAME TO event_keys;
ALTER TABLE event_keys ADD CONSTRAINT event_keys_pkey PRIMARY KEY (key_hash);

-- A tombstone is found by its key's hash too.
ALTER TABLE erasures ADD COLUMN key_hash UUID;
UPDATE erasures SET key_hash = event_key_hash(topic, event_id);
ALTER TABLE erasures ALTER COLUMN key_hash SET NOT NULL;
ALTER TABLE erasures DROP CONSTRAINT erasures_pkey;
ALTER TABLE erasures ADD CONSTRAINT erasures_pkey PRIMARY KEY (key_hash);
