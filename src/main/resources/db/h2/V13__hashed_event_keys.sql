-- As db/postgresql: a key is the first 16 bytes of the SHA-256 of its topic, a NUL and its event id. The payload hash
-- stays hex text here, its first 16 digits.
CREATE TABLE event_keys_v13 (
    key_hash      UUID NOT NULL,
    first_seen    TIMESTAMP WITH TIME ZONE NOT NULL,
    payload_hash  VARCHAR(16),
    CONSTRAINT event_keys_v13_pkey PRIMARY KEY (key_hash)
);
INSERT INTO event_keys_v13 (key_hash, first_seen, payload_hash)
SELECT CAST(SUBSTRING(HASH('SHA-256', CAST(topic AS VARBINARY) || X'00' || CAST(event_id AS VARBINARY)) FROM 1 FOR 16)
            AS UUID),
       first_seen, SUBSTRING(payload_hash, 1, 16)
FROM event_keys;
DROP TABLE event_keys;
ALTER TABLE event_keys_v13 RENAME TO event_keys;
ALTER TABLE event_keys RENAME CONSTRAINT event_keys_v13_pkey TO event_keys_pkey;
CREATE INDEX event_keys_first_seen_idx ON event_keys (first_seen);

ALTER TABLE erasures ADD COLUMN key_hash UUID;
UPDATE erasures SET key_hash = CAST(SUBSTRING(HASH('SHA-256', CAST(topic AS VARBINARY) || X'00'
                                   || CAST(event_id AS VARBINARY)) FROM 1 FOR 16) AS UUID);
ALTER TABLE erasures ALTER COLUMN key_hash SET NOT NULL;
ALTER TABLE erasures DROP CONSTRAINT erasures_pkey;
ALTER TABLE erasures ADD CONSTRAINT erasures_pkey PRIMARY KEY (key_hash);
