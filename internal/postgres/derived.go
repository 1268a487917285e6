package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/transcripts/site/internal/catalog"
)

// What the catalog derives from its segments: the shingles and marks of
// repeated text, the vocabulary (terms) and the figures BM25 weighs by
// (index_stats). An import or a delete keeps them in step inside its
// transaction, from two tables of the transaction's own:
//
//   - old_text: the segments the change rewrites or removes, with their
//     tsvectors as they were;
//   - touched: the shingles whose count of videos may change.
//
// Only the segments sharing a touched shingle are marked again, so a
// small import into a large collection costs what it touches; a first
// import, or one that grows the collection by a quarter or more, marks
// everything in one pass instead.

// bulkSegments: an import of more new segments than this, and of a
// quarter of the collection or more, is marked in one pass (as the SQLite
// catalog does).
const bulkSegments = 5_000

// shingleBatch is how many segments' shingles are computed between reads.
const shingleBatch = 20_000

// derive brings the derived tables up to date after an import added the
// segments above lastID and rewrote those of old_text.
func derive(ctx context.Context, tx pgx.Tx, lastID int64, bulk bool) error {
	after := strconv.FormatInt(lastID, 10) // a number, written into ts_stat's query text
	changed := `SELECT tsv FROM segments WHERE id > ` + after + ` UNION ALL SELECT s.tsv FROM segments s JOIN old_text o ON o.id = s.id`
	for _, q := range []string{
		// The transaction's own tables have no statistics until analysed:
		// without, the planner guesses their size and may scan every
		// shingle to join a handful.
		`ANALYZE old_text`,
		`CREATE TEMP TABLE touched ON COMMIT DROP AS
			SELECT DISTINCT x.hash FROM segment_shingles x JOIN old_text o ON o.id = x.segment_id`,
		`DELETE FROM segment_shingles WHERE segment_id IN (SELECT id FROM old_text)`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("repeated text: %w", err)
		}
	}
	if bulk {
		// The index by hash is built once after the shingles.
		if _, err := tx.Exec(ctx, `DROP INDEX IF EXISTS segment_shingles_by_hash`); err != nil {
			return fmt.Errorf("repeated text: %w", err)
		}
	}
	if err := writeShingles(ctx, tx, lastID); err != nil {
		return fmt.Errorf("repeated text: %w", err)
	}
	if bulk {
		if _, err := tx.Exec(ctx, shinglesByHash); err != nil {
			return fmt.Errorf("repeated text: %w", err)
		}
		if err := markRepeats(ctx, tx); err != nil {
			return fmt.Errorf("repeated text: %w", err)
		}
	} else {
		if _, err := tx.Exec(ctx, `INSERT INTO touched
			SELECT hash FROM segment_shingles WHERE segment_id > $1
			UNION SELECT x.hash FROM segment_shingles x JOIN old_text o ON o.id = x.segment_id`, lastID); err != nil {
			return fmt.Errorf("repeated text: %w", err)
		}
		if err := markAround(ctx, tx); err != nil {
			return fmt.Errorf("repeated text: %w", err)
		}
	}
	return vocabulary(ctx, tx, changed, `SELECT count(*) FROM segments WHERE id > `+after)
}

// forget prepares the removal of videos: their segments go to old_text
// and their shingles to touched, and what they said leaves the
// vocabulary. The caller deletes them, then calls markAround.
func forget(ctx context.Context, tx pgx.Tx, videos []string) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE old_text ON COMMIT DROP AS
		SELECT id, video_id, tsv FROM segments WHERE video_id = ANY($1)`, videos); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		ANALYZE old_text;
		CREATE TEMP TABLE touched ON COMMIT DROP AS
			SELECT DISTINCT x.hash FROM segment_shingles x JOIN old_text o ON o.id = x.segment_id`); err != nil {
		return err
	}
	return vocabulary(ctx, tx, "", `SELECT -count(*) FROM old_text`)
}

// vocabulary takes what old_text said out of the terms and the figures,
// and adds what the query current (tsvectors; "" for none) says; count
// is a query of the change in the number of segments.
func vocabulary(ctx context.Context, tx pgx.Tx, current, count string) error {
	qs := []string{
		// ts_stat reads its query as text: only table names and numbers
		// are written into it here.
		`INSERT INTO terms (term, docs) SELECT word, -ndoc FROM ts_stat('SELECT tsv FROM old_text')
			ON CONFLICT (term) DO UPDATE SET docs = terms.docs + excluded.docs`,
		`UPDATE index_stats SET lexemes = lexemes - (SELECT coalesce(sum(length(tsv)), 0) FROM old_text)`,
	}
	if current != "" {
		qs = append(qs,
			`INSERT INTO terms (term, docs) SELECT word, ndoc FROM ts_stat('`+current+`')
				ON CONFLICT (term) DO UPDATE SET docs = terms.docs + excluded.docs`,
			`UPDATE index_stats SET lexemes = lexemes + (SELECT coalesce(sum(length(c.tsv)), 0) FROM (`+current+`) c)`)
	}
	qs = append(qs,
		`DELETE FROM terms WHERE docs <= 0`,
		`UPDATE index_stats SET segments = segments + (`+count+`)`)
	for _, q := range qs {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("vocabulary: %w", err)
		}
	}
	return nil
}

// shinglesByHash is the index of migration 0001 that finds the segments
// sharing a shingle.
const shinglesByHash = `CREATE INDEX segment_shingles_by_hash ON segment_shingles (hash)`

// writeShingles stores the shingles of the segments an import added
// (those above lastID) and rewrote (old_text), as the SQLite catalog
// computes them.
func writeShingles(ctx context.Context, tx pgx.Tx, lastID int64) error {
	type seg struct {
		id    int64
		video string
		text  string
	}
	store := func(segs []seg) error {
		var out [][]any
		for _, sg := range segs {
			hs := catalog.Shingles(sg.text)
			slices.Sort(hs)
			for _, h := range slices.Compact(hs) {
				out = append(out, []any{h, sg.video, sg.id})
			}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"segment_shingles"}, []string{"hash", "video_id", "segment_id"}, pgx.CopyFromRows(out))
		return err
	}
	read := func(query string, args ...any) ([]seg, error) {
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (seg, error) {
			var sg seg
			err := r.Scan(&sg.id, &sg.video, &sg.text)
			return sg, err
		})
	}
	segs, err := read(`SELECT s.id, s.video_id, s.text FROM segments s JOIN old_text o ON o.id = s.id`)
	if err != nil {
		return err
	}
	if err := store(segs); err != nil {
		return err
	}
	for after := lastID; ; {
		segs, err := read(`SELECT id, video_id, text FROM segments WHERE id > $1 ORDER BY id LIMIT $2`, after, shingleBatch)
		if err != nil {
			return err
		}
		if len(segs) == 0 {
			return nil
		}
		if err := store(segs); err != nil {
			return err
		}
		after = segs[len(segs)-1].id
	}
}

// markRule is how a segment's shingles make it repeated text, as the
// SQLite catalog decides: a shingle said in catalog.RepeatVideos videos or
// more is repeated; a segment at least catalog.RepeatShare of whose
// shingles are repeated is repeated text, in the cluster of its smallest
// repeated shingle, unless an operator said that cluster is content. The
// query reads p(segment_id, hot, kept, cluster).
var (
	repeatVideos = strconv.Itoa(catalog.RepeatVideos)
	markRule     = `p.hot > 0 AND p.hot >= ` + strconv.FormatFloat(catalog.RepeatShare, 'f', -1, 64) + ` * p.kept
		AND NOT EXISTS (SELECT 1 FROM repeat_verdicts v WHERE v.cluster = p.cluster AND v.verdict = 'content')`
)

// markRepeats marks every segment of repeated text anew from all the
// stored shingles.
func markRepeats(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		DELETE FROM repeated_segments;
		INSERT INTO repeated_segments (segment_id, cluster)
		SELECT p.segment_id, p.cluster FROM (
			SELECT x.segment_id, count(h.hash) AS hot, count(*) AS kept, min(h.hash) AS cluster
			FROM segment_shingles x
			LEFT JOIN (SELECT hash FROM segment_shingles GROUP BY hash HAVING count(DISTINCT video_id) >= `+repeatVideos+`) h
				ON h.hash = x.hash
			GROUP BY x.segment_id
		) p
		WHERE `+markRule)
	return err
}

// markAround marks again the segments holding a touched shingle, and
// unmarks those of old_text: no other segment's marks can have changed.
func markAround(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		ANALYZE touched;
		CREATE TEMP TABLE affected ON COMMIT DROP AS
			SELECT DISTINCT x.segment_id FROM segment_shingles x JOIN touched t ON t.hash = x.hash;
		ANALYZE affected;
		DELETE FROM repeated_segments WHERE segment_id IN (SELECT segment_id FROM affected);
		DELETE FROM repeated_segments WHERE segment_id IN (SELECT id FROM old_text);
		INSERT INTO repeated_segments (segment_id, cluster)
		SELECT p.segment_id, p.cluster FROM (
			SELECT x.segment_id, count(h.hash) AS hot, count(*) AS kept, min(h.hash) AS cluster
			FROM segment_shingles x
			LEFT JOIN (
				SELECT y.hash FROM segment_shingles y
				WHERE y.hash IN (SELECT z.hash FROM segment_shingles z JOIN affected a ON a.segment_id = z.segment_id)
				GROUP BY y.hash HAVING count(DISTINCT y.video_id) >= `+repeatVideos+`
			) h ON h.hash = x.hash
			WHERE x.segment_id IN (SELECT segment_id FROM affected)
			GROUP BY x.segment_id
		) p
		WHERE `+markRule)
	return err
}

// titleStats counts anew the figures BM25 weighs titles by.
func titleStats(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE index_stats SET titled = a.n, title_lexemes = a.l
		FROM (SELECT count(*) AS n, coalesce(sum(length(title_tsv)), 0) AS l FROM videos WHERE title <> '') a`)
	return err
}
