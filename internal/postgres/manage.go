package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/transcripts/site/internal/catalog"
)

// formSample is how many segments are read for a stem's written forms.
const formSample = 40

// FrequentTerms returns the limit stems in most segments (at most
// maxSegments, of minLetters letters or more, plain a–z), each with the
// form it is most often written in, as the SQLite catalog does.
func (s *Store) FrequentTerms(ctx context.Context, limit, minLetters, maxSegments int) ([]catalog.Term, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT term, docs FROM terms
		WHERE docs <= $1 AND length(term) >= $2 AND term ~ '^[a-z]+$'
		ORDER BY docs DESC, term LIMIT $3`, maxSegments, minLetters, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: frequent terms: %w", err)
	}
	terms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (catalog.Term, error) {
		var t catalog.Term
		err := r.Scan(&t.Stem, &t.Segments)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: frequent terms: %w", err)
	}
	for i := range terms {
		forms, err := s.commonForms(ctx, terms[i].Stem, 1)
		if err != nil {
			return nil, err
		}
		terms[i].Word = terms[i].Stem
		if len(forms) > 0 {
			terms[i].Word = forms[0]
		}
	}
	return terms, nil
}

// CommonPrefixes returns the limit prefixes of letters letters that
// start at least minStems stems, those in most segments first, each with
// up to three words it starts as written.
func (s *Store) CommonPrefixes(ctx context.Context, limit, letters, minStems int) ([]catalog.Prefix, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT left(term, $1) AS prefix, sum(docs)::bigint AS docs FROM terms
		WHERE length(term) > $1 AND term ~ '^[a-z]+$'
		GROUP BY prefix HAVING count(*) >= $2
		ORDER BY docs DESC, prefix LIMIT $3`, letters, minStems, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: common prefixes: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (catalog.Prefix, error) {
		var p catalog.Prefix
		err := r.Scan(&p.Prefix, &p.Segments)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: common prefixes: %w", err)
	}
	for i := range ps {
		if ps[i].Words, err = s.commonForms(ctx, ps[i].Prefix, 3); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// commonForms returns the n forms, lower case, most often written for
// words starting with stem in a sample of segments.
func (s *Store) commonForms(ctx context.Context, stem string, n int) ([]string, error) {
	words, err := s.writtenForms(ctx, stem, formSample)
	if err != nil {
		return nil, err
	}
	return catalog.CommonForms(words, n), nil
}

// Info returns counts, size and schema version of the database.
func (s *Store) Info(ctx context.Context) (catalog.Info, error) {
	var info catalog.Info
	var err error
	if info.Totals, err = s.Totals(ctx); err != nil {
		return info, err
	}
	if info.SchemaVersion, err = s.SchemaVersion(ctx); err != nil {
		return info, err
	}
	var last *time.Time
	if err := s.pool.QueryRow(ctx, `SELECT pg_database_size(current_database()), (SELECT max(imported_at) FROM videos)`).
		Scan(&info.SizeBytes, &last); err != nil {
		return info, fmt.Errorf("postgres: info: %w", err)
	}
	if last != nil {
		info.LastImport = last.UTC().Format(time.RFC3339)
	}
	return info, nil
}

// Clusters returns the recurring texts, said in most videos first, and
// the clusters an operator said are content.
func (s *Store) Clusters(ctx context.Context, limit int) ([]catalog.Cluster, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT c.cluster, c.segments, c.videos, coalesce(v.verdict, ''), left(f.text, 120)
		FROM (SELECT r.cluster, count(*) AS segments, count(DISTINCT s.video_id) AS videos, min(s.id) AS first
			FROM repeated_segments r JOIN segments s ON s.id = r.segment_id GROUP BY r.cluster) c
		JOIN segments f ON f.id = c.first
		LEFT JOIN repeat_verdicts v ON v.cluster = c.cluster
		UNION ALL
		SELECT cluster, 0, 0, verdict, '' FROM repeat_verdicts WHERE verdict = 'content'
		ORDER BY 3 DESC, 2 DESC, 1
		LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: clusters: %w", err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (catalog.Cluster, error) {
		var cl catalog.Cluster
		err := r.Scan(&cl.ID, &cl.Segments, &cl.Videos, &cl.Verdict, &cl.Sample)
		return cl, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: clusters: %w", err)
	}
	return cs, nil
}

// SetVerdict records an operator's verdict on a cluster, "content" (its
// segments are not marked) or "repeated", and marks the segments again.
func (s *Store) SetVerdict(ctx context.Context, cluster int64, verdict string) error {
	if verdict != "content" && verdict != "repeated" {
		return fmt.Errorf("postgres: verdict %q: a cluster is content or repeated", verdict)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: verdict: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var known bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM repeated_segments WHERE cluster = $1)
		OR EXISTS (SELECT 1 FROM repeat_verdicts WHERE cluster = $1)`, cluster).Scan(&known); err != nil {
		return fmt.Errorf("postgres: verdict: %w", err)
	}
	if !known {
		return fmt.Errorf("postgres: verdict: cluster %d: %w", cluster, catalog.ErrNotFound)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO repeat_verdicts (cluster, verdict) VALUES ($1, $2)
		ON CONFLICT (cluster) DO UPDATE SET verdict = excluded.verdict`, cluster, verdict); err != nil {
		return fmt.Errorf("postgres: verdict: %w", err)
	}
	// The cluster is named by its smallest repeated shingle: the
	// segments holding it are those whose marks may change.
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE touched ON COMMIT DROP AS SELECT $1::bigint AS hash`, cluster); err != nil {
		return fmt.Errorf("postgres: verdict: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE old_text (id bigint) ON COMMIT DROP`); err != nil {
		return fmt.Errorf("postgres: verdict: %w", err)
	}
	if err := markAround(ctx, tx); err != nil {
		return fmt.Errorf("postgres: verdict: %w", err)
	}
	if err := bumpVersion(ctx, tx, s.now()); err != nil {
		return fmt.Errorf("postgres: verdict: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: verdict: commit: %w", err)
	}
	return nil
}

// CheckedSource records that the list of videos of src was read at
// src.LastCheckedAt (now, if zero).
func (s *Store) CheckedSource(ctx context.Context, src catalog.Source) error {
	checked := src.LastCheckedAt
	if checked.IsZero() {
		checked = time.Now()
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO sources (url, kind, title, added_at, last_checked_at) VALUES ($1, $2, $3, $4, $4)
		ON CONFLICT (url) DO UPDATE SET
			kind = excluded.kind,
			title = CASE WHEN excluded.title <> '' THEN excluded.title ELSE sources.title END,
			last_checked_at = excluded.last_checked_at`,
		src.URL, src.Kind, src.Title, checked.UTC().Truncate(time.Second))
	if err != nil {
		return fmt.Errorf("postgres: source %s: %w", src.URL, err)
	}
	return nil
}

// Sources returns every remembered source, oldest first.
func (s *Store) Sources(ctx context.Context) ([]catalog.Source, error) {
	rows, err := s.pool.Query(ctx, `SELECT url, kind, title, added_at, last_checked_at FROM sources ORDER BY added_at, url`)
	if err != nil {
		return nil, fmt.Errorf("postgres: sources: %w", err)
	}
	srcs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (catalog.Source, error) {
		var src catalog.Source
		err := r.Scan(&src.URL, &src.Kind, &src.Title, &src.AddedAt, &src.LastCheckedAt)
		src.AddedAt, src.LastCheckedAt = src.AddedAt.UTC(), src.LastCheckedAt.UTC()
		return src, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: sources: %w", err)
	}
	return srcs, nil
}

// ExistingVideos returns which of ids the catalog holds.
func (s *Store) ExistingVideos(ctx context.Context, ids []string) (map[string]bool, error) {
	have := map[string]bool{}
	rows, err := s.pool.Query(ctx, `SELECT video_id FROM videos WHERE video_id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: existing videos: %w", err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: existing videos: %w", err)
	}
	for _, id := range got {
		have[id] = true
	}
	return have, nil
}
