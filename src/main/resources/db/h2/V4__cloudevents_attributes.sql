-- Same as db/postgresql: JSON kept as text.
ALTER TABLE events ADD COLUMN IF NOT EXISTS attributes CHARACTER VARYING;
