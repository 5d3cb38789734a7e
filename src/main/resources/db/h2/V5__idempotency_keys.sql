-- Idempotency-Key on POST /publish (IETF httpapi draft): the first response to each key, replayed when the same
-- request comes again. status is null while that first request is in flight. Kept until expires_at.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    idempotency_key  VARCHAR(510) PRIMARY KEY,
    fingerprint      VARCHAR(64) NOT NULL,
    status           INTEGER,
    content_type     VARCHAR(255),
    headers          VARCHAR(2000),
    body             CHARACTER LARGE OBJECT,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX IF NOT EXISTS idempotency_keys_expires_idx ON idempotency_keys (expires_at);
