-- Nothing to drop: on PostgreSQL the index on event_keys.first_seen is now built only when DEDUP_RETENTION is set;
-- the embedded database keeps its own, which costs it little. This one says so in the schema.
COMMENT ON TABLE event_keys IS 'every key stored, until DEDUP_RETENTION forgets it; payloads are in events'
