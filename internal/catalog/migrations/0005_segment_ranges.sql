-- Which video each segment id belongs to, as runs of consecutive ids:
-- imports give a video's new segments consecutive ids, so there are about
-- as many runs as videos. Search loads them into memory to tell the videos
-- of thousands of matching segments without looking each one up.
CREATE TABLE segment_ranges (
    first_id INTEGER PRIMARY KEY,
    last_id  INTEGER NOT NULL,
    video_id TEXT NOT NULL
);
CREATE INDEX segment_ranges_by_video ON segment_ranges (video_id);

INSERT INTO segment_ranges (first_id, last_id, video_id)
SELECT min(id), max(id), video_id
FROM (SELECT id, video_id, id - row_number() OVER (PARTITION BY video_id ORDER BY id) AS run FROM segments)
GROUP BY video_id, run;
