-- Databases whose migration 0001 predates the index by hash of 2f71c9d.
CREATE INDEX IF NOT EXISTS segment_shingles_by_hash ON segment_shingles (hash);
