package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/transcripts/site/internal/catalog"
)

// Import stores every record in one transaction, as the SQLite catalog's
// Import does: either all of them land or, on the first bad record
// (unless opts.SkipInvalid), read error or cancelled ctx, none do and the
// database is exactly as before. A segment is keyed by video and start
// second, so importing the same records twice changes nothing. Readers of
// the primary and of its replicas see the catalog before the import until
// it commits.
func (s *Store) Import(ctx context.Context, records iter.Seq2[catalog.Record, error], opts catalog.ImportOptions) (stats catalog.ImportStats, err error) {
	began := time.Now()
	defer func() {
		if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("postgres: import: %w (%v)", ctx.Err(), err)
		}
	}()
	tx, err := s.begin(ctx)
	if err != nil {
		return stats, fmt.Errorf("postgres: import: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	var lastID int64
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM segments`).Scan(&lastID); err != nil {
		return stats, fmt.Errorf("postgres: import: %w", err)
	}
	// The rows are copied into a table of the transaction's own, then
	// stored in a few statements: COPY is PostgreSQL's fast way in.
	if _, err := tx.Exec(ctx, `
		CREATE TEMP TABLE incoming (seq bigint, video_id text, start_second integer, end_second integer, text text, speaker text)
		ON COMMIT DROP`); err != nil {
		return stats, fmt.Errorf("postgres: import: %w", err)
	}
	var videos catalog.ImportedVideos
	next, stop := iter.Pull2(catalog.Clean(ctx, records, opts, &stats))
	defer stop()
	var readErr error
	var seq int64
	src := pgx.CopyFromFunc(func() ([]any, error) {
		for {
			r, err, ok := next()
			if !ok {
				return nil, nil
			}
			if err != nil {
				readErr = err
				return nil, err
			}
			videos.Add(r)
			if r.InfoOnly {
				continue
			}
			seq++
			return []any{seq, r.VideoID, r.Start, r.End, r.Text, r.Speaker}, nil
		}
	})
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"incoming"},
		[]string{"seq", "video_id", "start_second", "end_second", "text", "speaker"}, src); err != nil {
		if readErr != nil {
			err = readErr
		}
		return stats, fmt.Errorf("postgres: import: %w", err)
	}
	stats.Segments = int(seq)

	// The last row read for a video and second wins, as in the SQLite
	// catalog, which updates a segment it read before.
	if _, err := tx.Exec(ctx, `
		CREATE TEMP TABLE latest ON COMMIT DROP AS
		SELECT DISTINCT ON (video_id, start_second) * FROM incoming ORDER BY video_id, start_second, seq DESC`); err != nil {
		return stats, fmt.Errorf("postgres: import: %w", err)
	}
	// The segments whose text the import rewrites, as they were: what
	// they said is taken out of the vocabulary and the repeated text.
	if _, err := tx.Exec(ctx, `
		CREATE TEMP TABLE old_text ON COMMIT DROP AS
		SELECT s.id, s.video_id, s.tsv FROM segments s JOIN latest l ON s.video_id = l.video_id AND s.start_second = l.start_second
		WHERE s.text <> l.text`); err != nil {
		return stats, fmt.Errorf("postgres: import: %w", err)
	}
	rows, err := tx.Query(ctx, `
		UPDATE segments s SET end_second = l.end_second, text = l.text, speaker = l.speaker
		FROM latest l
		WHERE s.video_id = l.video_id AND s.start_second = l.start_second
			AND (s.end_second, s.text, s.speaker) IS DISTINCT FROM (l.end_second, l.text, l.speaker)
		RETURNING s.id, s.video_id`)
	if err != nil {
		return stats, fmt.Errorf("postgres: import: update segments: %w", err)
	}
	defer rows.Close()
	var updated []int64
	changed := map[string]bool{}
	for rows.Next() {
		var id int64
		var video string
		if err := rows.Scan(&id, &video); err != nil {
			return stats, fmt.Errorf("postgres: import: update segments: %w", err)
		}
		updated = append(updated, id)
		changed[video] = true
	}
	if err := rows.Err(); err != nil {
		return stats, fmt.Errorf("postgres: import: update segments: %w", err)
	}
	// Into an empty catalog, the full-text index is built once after the
	// rows rather than row by row (several times faster at a million
	// rows). Dropping it locks the table until commit: readers of an
	// empty catalog wait for the first import instead of seeing nothing.
	rebuild := lastID == 0 && stats.Segments > 0
	if rebuild {
		if _, err := tx.Exec(ctx, `DROP INDEX segments_tsv`); err != nil {
			return stats, fmt.Errorf("postgres: import: %w", err)
		}
	}
	tag, err := tx.Exec(ctx, `
		INSERT INTO segments (video_id, start_second, end_second, text, speaker)
		SELECT l.video_id, l.start_second, l.end_second, l.text, l.speaker FROM latest l
		WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.video_id = l.video_id AND s.start_second = l.start_second)
		ORDER BY l.seq`)
	if err != nil {
		return stats, fmt.Errorf("postgres: import: insert segments: %w", err)
	}
	stats.Inserted = int(tag.RowsAffected())
	stats.Updated = len(updated)
	stats.Unchanged = stats.Segments - stats.Inserted - stats.Updated
	if stats.Inserted > 0 {
		rows, err := tx.Query(ctx, `SELECT DISTINCT video_id FROM segments WHERE id > $1`, lastID)
		if err != nil {
			return stats, fmt.Errorf("postgres: import: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return stats, fmt.Errorf("postgres: import: %w", err)
		}
		for _, id := range ids {
			changed[id] = true
		}
	}

	// Whole seconds, as the SQLite catalog keeps them (RFC 3339).
	metaChanged, err := writeVideos(ctx, tx, &videos, changed, &stats, s.now().UTC().Truncate(time.Second))
	if err != nil {
		return stats, fmt.Errorf("postgres: import: %w", err)
	}
	if rebuild {
		// The segments' videos are written: their checks can run now,
		// and must before an index is created.
		if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
			return stats, fmt.Errorf("postgres: import: %w", err)
		}
		if _, err := tx.Exec(ctx, segmentsIndex); err != nil {
			return stats, fmt.Errorf("postgres: import: index segments: %w", err)
		}
	}
	if stats.Inserted+stats.Updated > 0 {
		// A first import, or one that grows the collection by a quarter
		// or more, marks repeated text over every shingle at once; a
		// smaller one only the segments sharing a shingle with it.
		var total int64
		if err := tx.QueryRow(ctx, `SELECT segments FROM index_stats`).Scan(&total); err != nil {
			return stats, fmt.Errorf("postgres: import: %w", err)
		}
		bulk := rebuild || stats.Inserted > bulkSegments && int64(stats.Inserted)*4 >= total
		if err := derive(ctx, tx, lastID, bulk); err != nil {
			return stats, fmt.Errorf("postgres: import: %w", err)
		}
	}
	if stats.Inserted+stats.Updated > 0 || metaChanged {
		if err := titleStats(ctx, tx); err != nil {
			return stats, fmt.Errorf("postgres: import: %w", err)
		}
		if err := bumpVersion(ctx, tx, s.now()); err != nil {
			return stats, fmt.Errorf("postgres: import: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return stats, fmt.Errorf("postgres: import: commit: %w", err)
	}
	stats.Elapsed = time.Since(began)
	return stats, nil
}

// segmentsIndex is the full-text index of migration 0001.
const segmentsIndex = `CREATE INDEX segments_tsv ON segments USING gin (tsv)`

// begin starts a writing transaction holding the import lock.
func (s *Store) begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockImports); err != nil {
		tx.Rollback(ctx)
		return nil, err
	}
	return tx, nil
}

// writeVideos stores the videos an import read, merging what it says over
// what is stored as the SQLite catalog does, and refreshes the figures
// derived from their segments. It reports whether any video was added or
// changed.
func writeVideos(ctx context.Context, tx pgx.Tx, videos *catalog.ImportedVideos, changed map[string]bool, stats *catalog.ImportStats, now time.Time) (bool, error) {
	ids := videos.IDs()
	stored := map[string]catalog.VideoFacts{}
	rows, err := tx.Query(ctx, `
		SELECT video_id, title, thumbnail, channel_id, channel, published, description, tags, language, reported_duration_seconds
		FROM videos WHERE video_id = ANY($1)`, ids)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, tags string
		var f catalog.VideoFacts
		if err := rows.Scan(&id, &f.Title, &f.Thumbnail, &f.Info.ChannelID, &f.Info.Channel, &f.Info.Published,
			&f.Info.Description, &tags, &f.Info.Language, &f.Info.Duration); err != nil {
			return false, err
		}
		f.Info.Tags = catalog.ParseTags(tags)
		stored[id] = f
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	storedChapters := map[string][]catalog.Chapter{}
	rows, err = tx.Query(ctx, `SELECT video_id, start_second, title FROM chapters WHERE video_id = ANY($1) ORDER BY video_id, start_second`, ids)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var ch catalog.Chapter
		if err := rows.Scan(&id, &ch.Start, &ch.Title); err != nil {
			return false, err
		}
		storedChapters[id] = append(storedChapters[id], ch)
	}
	if err := rows.Err(); err != nil {
		return false, err
	}

	var batch pgx.Batch
	var touched []string
	metaChanged := false
	for _, id := range ids {
		old, exists := stored[id]
		v, segments, chapters := videos.Merge(id, old)
		outcome := "unchanged"
		at := now
		if t := videos.ImportedAt(id); !t.IsZero() {
			at = t.UTC() // a copied catalog's
		}
		args := []any{id, v.Title, v.Thumbnail, v.Info.ChannelID, v.Info.Channel, v.Info.Published,
			v.Info.Description, catalog.TagsJSON(v.Info.Tags), v.Info.Language, v.Info.Duration, at}
		switch {
		case !exists && !segments:
			stats.InfoSkipped++ // a site of transcripts lists no video without one
			continue
		case !exists:
			outcome = "added"
			batch.Queue(`INSERT INTO videos (video_id, title, thumbnail, channel_id, channel, published, description, tags, language,
				reported_duration_seconds, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, args...)
		case changed[id] || !v.Equal(old):
			// imported_at says when the transcript last changed.
			outcome = "updated"
			batch.Queue(`UPDATE videos SET title = $2, thumbnail = $3, channel_id = $4, channel = $5, published = $6,
				description = $7, tags = $8, language = $9, reported_duration_seconds = $10,
				imported_at = CASE WHEN $12 THEN $11 ELSE imported_at END
				WHERE video_id = $1`, append(args, changed[id])...)
		}
		if chapters != nil && !slices.Equal(chapters, storedChapters[id]) {
			batch.Queue(`DELETE FROM chapters WHERE video_id = $1`, id)
			for _, ch := range chapters {
				batch.Queue(`INSERT INTO chapters (video_id, start_second, title) VALUES ($1, $2, $3)`, id, ch.Start, ch.Title)
			}
			if outcome == "unchanged" {
				outcome = "updated"
			}
		}
		switch outcome {
		case "added":
			stats.VideosAdded++
		case "updated":
			stats.VideosUpdated++
		default:
			stats.VideosUnchanged++
			continue
		}
		metaChanged = true
		touched = append(touched, id)
	}
	stats.Videos = stats.VideosAdded + stats.VideosUpdated + stats.VideosUnchanged
	if batch.Len() > 0 {
		if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
			return false, err
		}
	}
	// The length is the source's when it says, else where the transcript
	// ends.
	if len(touched) > 0 {
		if _, err := tx.Exec(ctx, `
			UPDATE videos v SET segment_count = c.n,
				duration_seconds = CASE WHEN v.reported_duration_seconds > 0 THEN v.reported_duration_seconds ELSE c.last END
			FROM (SELECT t.id, count(s.id) AS n, coalesce(max(s.end_second), 0) AS last
				FROM unnest($1::text[]) AS t(id) LEFT JOIN segments s ON s.video_id = t.id GROUP BY t.id) c
			WHERE v.video_id = c.id`, touched); err != nil {
			return false, err
		}
	}
	return metaChanged, nil
}

// Delete removes videos and all their segments in one transaction. If
// any id is unknown nothing is deleted and the error wraps
// catalog.ErrNotFound.
func (s *Store) Delete(ctx context.Context, ids []string) (catalog.DeleteStats, error) {
	var stats catalog.DeleteStats
	tx, err := s.begin(ctx)
	if err != nil {
		return stats, fmt.Errorf("postgres: delete: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := forget(ctx, tx, ids); err != nil {
		return stats, fmt.Errorf("postgres: delete: %w", err)
	}
	rows, err := tx.Query(ctx, `DELETE FROM videos WHERE video_id = ANY($1) RETURNING video_id, segment_count`, ids)
	if err != nil {
		return stats, fmt.Errorf("postgres: delete: %w", err)
	}
	defer rows.Close()
	gone := map[string]bool{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return stats, fmt.Errorf("postgres: delete: %w", err)
		}
		gone[id] = true
		stats.Videos++
		stats.Segments += n
	}
	if err := rows.Err(); err != nil {
		return stats, fmt.Errorf("postgres: delete: %w", err)
	}
	var missing []string
	for _, id := range ids {
		if !gone[id] && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return catalog.DeleteStats{}, fmt.Errorf("postgres: delete: no video %s: %w", strings.Join(missing, ", "), catalog.ErrNotFound)
	}
	if err := markAround(ctx, tx); err != nil {
		return stats, fmt.Errorf("postgres: delete: %w", err)
	}
	if err := titleStats(ctx, tx); err != nil {
		return stats, fmt.Errorf("postgres: delete: %w", err)
	}
	if err := bumpVersion(ctx, tx, s.now()); err != nil {
		return stats, fmt.Errorf("postgres: delete: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return stats, fmt.Errorf("postgres: delete: commit: %w", err)
	}
	return stats, nil
}
