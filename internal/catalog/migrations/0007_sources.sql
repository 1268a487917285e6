-- The channels and playlists `web fetch` was given, so `web fetch -update`
-- can check each again for videos published since. Which videos are new is
-- decided by the videos table (a video id not in it), not by these dates,
-- so an interrupted fetch never hides a video from the next one.
CREATE TABLE sources (
    url             TEXT PRIMARY KEY, -- as given to web fetch
    kind            TEXT NOT NULL CHECK (kind IN ('channel', 'playlist')),
    title           TEXT NOT NULL DEFAULT '',
    added_at        TEXT NOT NULL,
    last_checked_at TEXT NOT NULL
);
