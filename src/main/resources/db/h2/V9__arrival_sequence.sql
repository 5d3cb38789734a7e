-- seq from a sequence of its own instead of the column's identity, which only an insert can draw from: H2Writer draws
-- a group's seq values in arrival order, then inserts the rows in key order, so that concurrent transactions lock
-- shared keys in one order (as on PostgreSQL) and keep seq in arrival order. The sequence goes on after the rows.
CREATE SEQUENCE IF NOT EXISTS events_seq;
ALTER SEQUENCE events_seq RESTART WITH (SELECT COALESCE(MAX(seq), 0) + 1 FROM events);
ALTER TABLE events ALTER COLUMN seq DROP IDENTITY;
ALTER TABLE events ALTER COLUMN seq SET DEFAULT NEXT VALUE FOR events_seq;
