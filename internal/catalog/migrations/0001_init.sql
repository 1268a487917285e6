-- The catalog: one row per video, one row per transcript segment, and an
-- external-content FTS5 index over the segment text. The table and column
-- names are a contract: sqlite3, Datasette and sqlite-utils open this file.

CREATE TABLE videos (
    video_id         TEXT PRIMARY KEY,
    title            TEXT NOT NULL DEFAULT '',
    thumbnail        TEXT NOT NULL DEFAULT '',
    -- Derived from the segments on every import, so listing the catalog
    -- never aggregates millions of rows.
    duration_seconds INTEGER NOT NULL DEFAULT 0,
    segment_count    INTEGER NOT NULL DEFAULT 0,
    imported_at      TEXT NOT NULL
);

-- The catalog is listed by title, untitled videos last.
CREATE INDEX videos_by_title ON videos (title = '', title COLLATE NOCASE, video_id);

CREATE TABLE segments (
    id           INTEGER PRIMARY KEY,
    video_id     TEXT NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    start_second INTEGER NOT NULL CHECK (start_second >= 0),
    end_second   INTEGER NOT NULL CHECK (end_second >= start_second),
    text         TEXT NOT NULL,
    -- A segment is identified by its video and start second: re-importing
    -- a file replaces its segments instead of duplicating them. The index
    -- also serves a video's transcript in time order.
    UNIQUE (video_id, start_second)
);

CREATE VIRTUAL TABLE segments_fts USING fts5 (
    text,
    content = 'segments',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TRIGGER segments_au AFTER UPDATE OF text ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO segments_fts (rowid, text) VALUES (new.id, new.text);
END;
