-- Each term's best segments, block by block, so search can rank a word
-- found in millions of segments without scoring every one (champions.go).
-- Segment ids are cut into blocks of block_size consecutive ids; for every
-- term of a block, a row holds how many of the block's segments hold it
-- (docs, summed for BM25's document frequency) and its best per_block of
-- them by the term's BM25 weight in each: (id - first id of the block,
-- occurrences, segment length in terms) as unsigned varints, best first.
-- The global best per_block segments of a term are in the union of its
-- rows. Written by every import for the segments it adds; a delete removes
-- its segments from them.
CREATE TABLE segment_champions (
    term  TEXT NOT NULL,
    block INTEGER NOT NULL,
    docs  INTEGER NOT NULL,
    best  BLOB NOT NULL,
    PRIMARY KEY (term, block)
) WITHOUT ROWID;
CREATE INDEX segment_champions_by_block ON segment_champions (block);

-- How the lists are cut, and how far they go: segments with ids up to
-- through_id are in them. Search uses the lists only when they cover every
-- segment, so a database from before this migration ranks as before until
-- its next import writes them.
CREATE TABLE champion_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    block_size INTEGER NOT NULL CHECK (block_size > 0),
    per_block  INTEGER NOT NULL CHECK (per_block > 0),
    through_id INTEGER NOT NULL
);
INSERT INTO champion_state (id, block_size, per_block, through_id) VALUES (1, 262144, 32, 0);
