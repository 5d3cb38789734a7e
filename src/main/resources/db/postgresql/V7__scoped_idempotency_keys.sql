-- With API keys, an Idempotency-Key is stored prefixed with a digest of the client's API key (scope/key), so one
-- client cannot claim another's key; room for the prefix beside the longest key a client may send (255).
ALTER TABLE idempotency_keys ALTER COLUMN idempotency_key TYPE VARCHAR(510);
