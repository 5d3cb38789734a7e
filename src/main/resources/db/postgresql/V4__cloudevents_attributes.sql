-- Events published as CloudEvents keep their other context attributes (specversion, type, subject, extensions...)
-- as one JSON object; null for events in the service's own format.
ALTER TABLE events ADD COLUMN IF NOT EXISTS attributes JSONB;
