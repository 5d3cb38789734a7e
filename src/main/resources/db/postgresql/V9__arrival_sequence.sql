-- Nothing to change: PostgresWriter draws seq from the column's own sequence (pg_get_serial_sequence) in arrival
-- order and inserts in key order. The H2 script gives H2 a sequence to do the same; this one says so in the schema.
COMMENT ON COLUMN events.seq IS 'arrival order: drawn for a group in arrival order, its rows inserted in key order';
