-- Repeated text: sponsor reads, intros and outros that recur nearly word
-- for word across videos. Each segment's text is cut into 10-word
-- shingles, of which about one in eight (by hash) is kept; a shingle kept
-- in several videos is repeated, and a segment most of whose shingles
-- are repeated is repeated text (repeats.go says how the thresholds were
-- chosen). Search ranks repeated text below conversation and collapses
-- its copies.

-- video is the rowid of the segment's video (a few bytes, where its id
-- would take eleven on each of about eight rows a segment).
CREATE TABLE segment_shingles (
    hash       INTEGER NOT NULL,
    video      INTEGER NOT NULL,
    segment_id INTEGER NOT NULL,
    PRIMARY KEY (hash, video, segment_id)
) WITHOUT ROWID;
-- No index by segment: a segment's shingles are found again from its text.

-- The segments that are repeated text, each with its cluster: the
-- smallest repeated shingle it holds, the same for the copies of one read.
CREATE TABLE repeated_segments (
    segment_id INTEGER PRIMARY KEY,
    cluster    INTEGER NOT NULL
);
CREATE INDEX repeated_segments_by_cluster ON repeated_segments (cluster);

-- An operator's verdict on a cluster, kept across imports.
CREATE TABLE repeat_verdicts (
    cluster INTEGER PRIMARY KEY,
    verdict TEXT NOT NULL CHECK (verdict IN ('content', 'repeated'))
);

-- The highest segment id whose shingles are stored: an import shingles
-- the segments above it (all of them, the first time).
CREATE TABLE repeat_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    shingled INTEGER NOT NULL
);
INSERT INTO repeat_state (id, shingled) VALUES (1, 0);
