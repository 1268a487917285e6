-- A version of the catalog's content, bumped by every import that changes
-- something and by every delete, so the site can tell its cached pages
-- (and browsers their copies) from stale ones.
CREATE TABLE catalog_version (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    INTEGER NOT NULL,
    changed_at TEXT NOT NULL
);
INSERT INTO catalog_version (id, version, changed_at)
VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
