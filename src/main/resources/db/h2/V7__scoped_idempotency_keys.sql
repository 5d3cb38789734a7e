-- With API keys, an Idempotency-Key is stored prefixed with a digest of the client's API key (scope/key), so one
-- client cannot claim another's key. The H2 table was created with room for it (510); this keeps both schemas'
-- version numbers alike.
ALTER TABLE idempotency_keys ALTER COLUMN idempotency_key SET DATA TYPE VARCHAR(510);
