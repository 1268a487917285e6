-- Video titles become searchable (search weights a title match above the
-- text), and the index's vocabulary is exposed for "did you mean".

CREATE VIRTUAL TABLE videos_fts USING fts5 (
    title,
    content = 'videos',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO videos_fts (videos_fts) VALUES ('rebuild');

CREATE TRIGGER videos_ai AFTER INSERT ON videos BEGIN
    INSERT INTO videos_fts (rowid, title) VALUES (new.rowid, new.title);
END;

CREATE TRIGGER videos_ad AFTER DELETE ON videos BEGIN
    INSERT INTO videos_fts (videos_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
END;

CREATE TRIGGER videos_au AFTER UPDATE OF title ON videos BEGIN
    INSERT INTO videos_fts (videos_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
    INSERT INTO videos_fts (rowid, title) VALUES (new.rowid, new.title);
END;

-- One row per indexed term (porter stems): how many segments hold it.
CREATE VIRTUAL TABLE segments_vocab USING fts5vocab ('segments_fts', 'row');
