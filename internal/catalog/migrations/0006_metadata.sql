-- Who said it and when: what a video's source says about it (channel,
-- publication date, description, tags, language, length, chapters) and
-- who speaks each segment. Every new column has a default, so existing
-- databases upgrade in place and rows written by other tools stay valid.

-- channel_id is YouTube's channel id (UC…) when the source gives one, else
-- a slug of the channel's name ("the-changelog"): the key of /channels/ID.
ALTER TABLE videos ADD COLUMN channel_id TEXT NOT NULL DEFAULT '';
ALTER TABLE videos ADD COLUMN channel TEXT NOT NULL DEFAULT '';
-- The day the video was published, 'YYYY-MM-DD' ('' when unknown), so it
-- sorts and compares as text.
ALTER TABLE videos ADD COLUMN published TEXT NOT NULL DEFAULT ''
    CHECK (published = '' OR published GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
ALTER TABLE videos ADD COLUMN description TEXT NOT NULL DEFAULT '';
-- A JSON array of strings: json_each(tags) lists them.
ALTER TABLE videos ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
-- The language of the transcript as the source names it ('en', 'de-DE').
ALTER TABLE videos ADD COLUMN language TEXT NOT NULL DEFAULT '';
-- The length the source reports (yt-dlp's duration), 0 when unknown.
-- duration_seconds stays the one length readers use: this when known,
-- else the end of the last segment (a transcript can stop before the
-- video does).
ALTER TABLE videos ADD COLUMN reported_duration_seconds INTEGER NOT NULL DEFAULT 0;
-- The title as the catalog sorts it: without leading quotation marks,
-- brackets and other punctuation, so “"Quoted" titles” do not all come
-- first. Generated, so every writer gets it right.
ALTER TABLE videos ADD COLUMN sort_title TEXT
    GENERATED ALWAYS AS (lower(ltrim(title, ' "''“”‘’„‚«»‹›([{¡¿*#-–—…_.,;:!?/|~`'))) VIRTUAL;

DROP INDEX videos_by_title;
CREATE INDEX videos_by_title ON videos (title = '', sort_title, video_id);
-- The catalog's default order: newest first, undated videos last by title.
CREATE INDEX videos_by_newest ON videos (published = '', published DESC, title = '', sort_title, video_id);
CREATE INDEX videos_by_channel ON videos (channel_id, published DESC);

-- A video's chapters, each from its start to the next one's.
CREATE TABLE chapters (
    video_id     TEXT NOT NULL REFERENCES videos (video_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    start_second INTEGER NOT NULL CHECK (start_second >= 0),
    title        TEXT NOT NULL,
    PRIMARY KEY (video_id, start_second)
);

-- Who speaks the segment, as the transcript names them ('' when it does
-- not). A segment never spans two speakers.
ALTER TABLE segments ADD COLUMN speaker TEXT NOT NULL DEFAULT '';
CREATE INDEX segments_by_speaker ON segments (speaker, video_id) WHERE speaker <> '';
