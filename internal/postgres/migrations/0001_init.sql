-- The catalog on PostgreSQL: the tables of the SQLite catalog, with a
-- tsvector column and GIN index for full-text search in place of FTS5.

-- Words are folded to their unaccented form and stemmed by Snowball's
-- English stemmer, with no stop words: FTS5's porter tokenizer (the
-- SQLite backend) drops no word either, so "the who" finds the same lines.
-- Hyphenated compounds are indexed as their parts only, as FTS5 does.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH DICTIONARY transcript_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION transcripts (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION transcripts
    ALTER MAPPING FOR asciiword, word, hword_asciipart, hword_part WITH unaccent, transcript_stem;
ALTER TEXT SEARCH CONFIGURATION transcripts DROP MAPPING FOR asciihword, hword;

-- The words of a text as FTS5's unicode61 tokenizer and the query parser
-- cut them: runs of letters and digits. PostgreSQL's own parser keeps
-- example.com, 3.14, covid-19 or and/or as one token each, which no typed
-- word could match. Letters are the database's (its LC_CTYPE, checked to
-- be a UTF-8 one when the store opens).
CREATE FUNCTION transcript_words(text) RETURNS text
    IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
    RETURN regexp_replace($1, '[^[:alnum:]]+', ' ', 'g');

CREATE TABLE catalog_version (
    id         integer PRIMARY KEY CHECK (id = 1),
    version    bigint NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO catalog_version (id, version, changed_at) VALUES (1, 1, now());

CREATE TABLE videos (
    video_id                  text COLLATE "C" PRIMARY KEY,
    title                     text NOT NULL DEFAULT '',
    thumbnail                 text NOT NULL DEFAULT '',
    duration_seconds          integer NOT NULL DEFAULT 0,
    segment_count             integer NOT NULL DEFAULT 0,
    imported_at               timestamptz NOT NULL,
    channel_id                text COLLATE "C" NOT NULL DEFAULT '',
    channel                   text NOT NULL DEFAULT '',
    published                 text NOT NULL DEFAULT ''
        CHECK (published = '' OR published ~ '^[0-9]{4}-[01][0-9]-[0-3][0-9]$'),
    description               text NOT NULL DEFAULT '',
    tags                      text NOT NULL DEFAULT '[]',
    language                  text NOT NULL DEFAULT '',
    reported_duration_seconds integer NOT NULL DEFAULT 0,
    -- As the SQLite catalog sorts titles: A–Z in lower case (SQLite's
    -- lower() folds ASCII only), leading quotes and punctuation ignored,
    -- compared byte by byte.
    sort_title                text COLLATE "C"
        GENERATED ALWAYS AS (translate(ltrim(title, ' "''“”‘’„‚«»‹›([{¡¿*#-–—…_.,;:!?/|~`'),
            'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')) STORED,
    title_tsv                 tsvector GENERATED ALWAYS AS (to_tsvector('transcripts', transcript_words(title))) STORED
);
CREATE INDEX videos_by_title ON videos ((title = ''), sort_title, video_id);
CREATE INDEX videos_by_newest ON videos ((published = ''), published DESC, (title = ''), sort_title, video_id);
CREATE INDEX videos_by_channel ON videos (channel_id, published DESC);
CREATE INDEX videos_title_tsv ON videos USING gin (title_tsv);

CREATE TABLE segments (
    -- Ids grow with every import: the newest lines have the highest.
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    video_id     text COLLATE "C" NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    start_second integer NOT NULL CHECK (start_second >= 0),
    end_second   integer NOT NULL CHECK (end_second >= start_second),
    text         text NOT NULL,
    speaker      text NOT NULL DEFAULT '',
    tsv          tsvector GENERATED ALWAYS AS (to_tsvector('transcripts', transcript_words(text))) STORED,
    UNIQUE (video_id, start_second)
);
CREATE INDEX segments_tsv ON segments USING gin (tsv);
CREATE INDEX segments_by_speaker ON segments (speaker, video_id) WHERE speaker <> '';
CREATE INDEX segments_by_speaker_name ON segments (lower(speaker)) WHERE speaker <> '';

CREATE TABLE chapters (
    video_id     text COLLATE "C" NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE,
    start_second integer NOT NULL CHECK (start_second >= 0),
    title        text NOT NULL,
    PRIMARY KEY (video_id, start_second)
);

CREATE TABLE sources (
    url             text COLLATE "C" PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('channel', 'playlist')),
    title           text NOT NULL DEFAULT '',
    added_at        timestamptz NOT NULL,
    last_checked_at timestamptz NOT NULL
);

-- Repeated text, as the SQLite catalog finds it (internal/catalog/repeats.go).
-- The index by hash finds the segments a small import's shingles touch;
-- a large import drops it and builds it again after its rows (kept in
-- hash order row by row, it made their COPY three times slower). Rows
-- come in segment order, so the index by segment only grows at its end.
CREATE TABLE segment_shingles (
    hash       bigint NOT NULL,
    video_id   text COLLATE "C" NOT NULL,
    segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE
);
CREATE INDEX segment_shingles_by_hash ON segment_shingles (hash);
CREATE INDEX segment_shingles_by_segment ON segment_shingles (segment_id);

CREATE TABLE repeated_segments (
    segment_id bigint PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
    cluster    bigint NOT NULL
);
CREATE INDEX repeated_segments_by_cluster ON repeated_segments (cluster);

CREATE TABLE repeat_verdicts (
    cluster bigint PRIMARY KEY,
    verdict text NOT NULL CHECK (verdict IN ('content', 'repeated'))
);

-- The index's vocabulary (did-you-mean, prefixes, search tips) and the
-- figures BM25 weighs terms by, refreshed by every import and delete.
CREATE TABLE terms (
    term text COLLATE "C" PRIMARY KEY,
    docs integer NOT NULL
);
CREATE TABLE index_stats (
    id       integer PRIMARY KEY CHECK (id = 1),
    segments bigint NOT NULL,
    lexemes  bigint NOT NULL, -- summed over segments: BM25's document lengths
    titled   bigint NOT NULL,
    title_lexemes bigint NOT NULL
);
INSERT INTO index_stats VALUES (1, 0, 0, 0, 0);
