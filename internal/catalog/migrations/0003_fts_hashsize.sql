-- Let FTS5 gather 16 MB of terms in memory before it writes an index
-- segment (1 MB by default): a bulk import then writes fewer, larger
-- segments and spends less time merging them (300k segments: 23.5 s → 19.8 s).
INSERT INTO segments_fts (segments_fts, rank) VALUES ('hashsize', 16777216);
