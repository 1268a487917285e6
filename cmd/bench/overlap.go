package main

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
)

// overlap measures, for n queries of each class of the mix file, how many
// of the engine's first 20 hits (one ranked list, group=none) are those of
// the exhaustive ranking by the engine's own formula: FTS5's bm25 over
// every match, plus TitleWeight times its video's title score for the
// best-matching titles (as many as the engine boosts), the newest first
// among equals. The exhaustive top 20 is the best of FTS5's own text top
// 20 and every match of the boosted videos: a segment of another video
// can only be there by its text score.
func overlap(ctx context.Context, cfg config, mix map[string][]string, n int, out io.Writer) error {
	cat, err := catalog.OpenReadOnly(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer cat.Close()
	e := search.New(catalog.NewIndex(cat), 10*time.Minute)
	db, err := sql.Open("sqlite", "file:"+cfg.db+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(out, "| class | queries | median matches | top 20 shared with exhaustive ranking: median (min) | exhaustive ranking p50 |\n|---|---|---|---|---|\n")
	for _, class := range classOrder[:mixClasses] {
		qs := mix[class][:min(n, len(mix[class]))]
		var shared, matches []int
		var took []time.Duration
		for _, text := range qs {
			res, err := e.Search(ctx, search.Request{Query: text, Page: 1, Group: search.GroupNone})
			if err != nil {
				return fmt.Errorf("overlap %q: %w", text, err)
			}
			began := time.Now()
			want, total, err := exhaustive(ctx, db, res.Query)
			if err != nil {
				return fmt.Errorf("overlap %q: %w", text, err)
			}
			took = append(took, time.Since(began))
			k := 0
			for _, h := range res.Hits {
				if slices.Contains(want, h.SegmentID) {
					k++
				}
			}
			shared, matches = append(shared, k), append(matches, total)
		}
		slices.Sort(shared)
		slices.Sort(matches)
		fmt.Fprintf(out, "| %s | %d | %d | %d of 20 (%d) | %s |\n", class, len(qs), matches[len(matches)/2], shared[len(shared)/2], shared[0], ms(pct(took, 50)))
	}
	return nil
}

// exhaustive returns the first 20 segments of q by the engine's formula
// over every match, and the number of matches.
func exhaustive(ctx context.Context, db *sql.DB, q search.Query) ([]int64, int, error) {
	match := catalog.MatchExpr(q)
	type scored struct {
		id    int64
		score float64
	}
	read := func(query string, args ...any) ([]scored, error) {
		rows, err := db.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []scored
		for rows.Next() {
			var s scored
			if err := rows.Scan(&s.id, &s.score); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, rows.Err()
	}
	var total int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?`, match).Scan(&total); err != nil {
		return nil, 0, err
	}
	titles := map[int64]float64{} // segment → its title boost
	var videos []string
	boost := map[string]float64{}
	rows, err := db.QueryContext(ctx, `SELECT v.video_id, videos_fts.rank FROM videos_fts JOIN videos v ON v.rowid = videos_fts.rowid
		WHERE videos_fts MATCH ? ORDER BY videos_fts.rank LIMIT 20`, match)
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var v string
		var s float64
		if err := rows.Scan(&v, &s); err != nil {
			rows.Close()
			return nil, 0, err
		}
		videos, boost[v] = append(videos, v), s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	all, err := read(`SELECT rowid, rank FROM segments_fts WHERE segments_fts MATCH ? ORDER BY rank, rowid DESC LIMIT 20`, match)
	if err != nil {
		return nil, 0, err
	}
	if len(videos) > 0 {
		list := `["` + strings.Join(videos, `","`) + `"]`
		titled, err := read(`SELECT f.rowid, f.rank FROM segments_fts f WHERE f.segments_fts MATCH ?
			AND f.rowid IN (SELECT id FROM segments WHERE video_id IN (SELECT value FROM json_each(?)))`, match, list)
		if err != nil {
			return nil, 0, err
		}
		vrows, err := db.QueryContext(ctx, `SELECT id, video_id FROM segments WHERE video_id IN (SELECT value FROM json_each(?))`, list)
		if err != nil {
			return nil, 0, err
		}
		for vrows.Next() {
			var id int64
			var v string
			if err := vrows.Scan(&id, &v); err != nil {
				vrows.Close()
				return nil, 0, err
			}
			titles[id] = search.TitleWeight * boost[v]
		}
		vrows.Close()
		all = append(all, titled...)
	}
	seen := map[int64]bool{}
	var best []scored
	for _, s := range all {
		if !seen[s.id] {
			seen[s.id] = true
			s.score += titles[s.id]
			best = append(best, s)
		}
	}
	slices.SortFunc(best, func(a, b scored) int {
		if c := cmp.Compare(a.score, b.score); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	var ids []int64
	for _, s := range best[:min(20, len(best))] {
		ids = append(ids, s.id)
	}
	return ids, total, nil
}
