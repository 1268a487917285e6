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
// among equals; and of the same with the engine's policy for several
// words, lines holding them together (within nearWords of each other)
// first.
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
	fmt.Fprintf(out, "| class | queries | median matches | top 20 shared with BM25 + title: median (min) | with the words-together tier: median (min) | page p50 | exhaustive p50 |\n|---|---|---|---|---|---|---|\n")
	for _, class := range classOrder[:mixClasses] {
		qs := mix[class][:min(n, len(mix[class]))]
		var shared, policy, matches []int
		var took, page []time.Duration
		for _, text := range qs {
			began := time.Now()
			res, err := e.Search(ctx, search.Request{Query: text, Page: 1, Group: search.GroupNone})
			if err != nil {
				return fmt.Errorf("overlap %q: %w", text, err)
			}
			page = append(page, time.Since(began))
			began = time.Now()
			bm25, tiered, total, err := exhaustive(ctx, db, res.Query)
			if err != nil {
				return fmt.Errorf("overlap %q: %w", text, err)
			}
			took = append(took, time.Since(began))
			k, l := 0, 0
			for _, h := range res.Hits {
				if slices.Contains(bm25, h.SegmentID) {
					k++
				}
				if slices.Contains(tiered, h.SegmentID) {
					l++
				}
			}
			shared, policy, matches = append(shared, k), append(policy, l), append(matches, total)
		}
		slices.Sort(shared)
		slices.Sort(policy)
		slices.Sort(matches)
		fmt.Fprintf(out, "| %s | %d | %d | %d of 20 (%d) | %d of 20 (%d) | %s | %s |\n", class, len(qs), matches[len(matches)/2],
			shared[len(shared)/2], shared[0], policy[len(policy)/2], policy[0], ms(pct(page, 50)), ms(pct(took, 50)))
		if f, ok := out.(interface{ Flush() error }); ok {
			f.Flush() // a class at a time: at 10M one takes many minutes
		}
	}
	return nil
}

// nearWords is search's: how many other words may stand between two of a
// query's words for them to count as together.
const nearWords = 4

// exhaustive returns the first 20 segments of q by the engine's formula
// over every match, without and with the words-together tier, and the
// number of matches. The candidates are FTS5's own text top 200 (and, for
// several words, the top 200 of those holding them together) and every
// match of the boosted videos: a segment of another video is ranked by its
// text score alone.
func exhaustive(ctx context.Context, db *sql.DB, q search.Query) (bm25, tiered []int64, total int, err error) {
	match := catalog.MatchExpr(q)
	type scored struct {
		id    int64
		score float64
		tier  int
	}
	byScore := func(a, b scored) int {
		if c := cmp.Compare(a.score, b.score); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
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
	// best reads FTS5's top of expr, breaking ties newest first: the
	// first 200 by FTS5's own ORDER BY rank (which keeps only those),
	// sorted again; every match sorted when the ties run past them.
	best := func(expr string) ([]scored, error) {
		top, err := read(`SELECT rowid, rank FROM segments_fts WHERE segments_fts MATCH ? ORDER BY rank LIMIT 200`, expr)
		if err != nil {
			return nil, err
		}
		slices.SortFunc(top, byScore)
		if len(top) == 200 && top[199].score == top[39].score {
			return read(`SELECT rowid, rank FROM segments_fts WHERE segments_fts MATCH ? ORDER BY rank, rowid DESC LIMIT 200`, expr)
		}
		return top, nil
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?`, match).Scan(&total); err != nil {
		return nil, nil, 0, err
	}
	var videos []string
	boost := map[string]float64{}
	rows, err := db.QueryContext(ctx, `SELECT v.video_id, videos_fts.rank FROM videos_fts JOIN videos v ON v.rowid = videos_fts.rowid
		WHERE videos_fts MATCH ? ORDER BY videos_fts.rank LIMIT 20`, match)
	if err != nil {
		return nil, nil, 0, err
	}
	for rows.Next() {
		var v string
		var s float64
		if err := rows.Scan(&v, &s); err != nil {
			rows.Close()
			return nil, nil, 0, err
		}
		videos, boost[v] = append(videos, v), s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, 0, err
	}
	all, err := best(match)
	if err != nil {
		return nil, nil, 0, err
	}
	nearExpr := ""
	if len(q.Groups) > 1 && q.Near == 0 && !slices.ContainsFunc(q.Groups, func(g []search.Term) bool { return len(g) != 1 }) {
		nq := q
		nq.Near = nearWords * (len(q.Groups) - 1)
		nearExpr = catalog.MatchExpr(nq)
		together, err := best(nearExpr)
		if err != nil {
			return nil, nil, 0, err
		}
		all = append(all, together...)
	}
	titles := map[int64]float64{} // segment → its title boost
	if len(videos) > 0 {
		list := `["` + strings.Join(videos, `","`) + `"]`
		// Run by run of the videos' ids: asked for their ids (rowid IN
		// …), FTS5 scores every match in the collection first.
		titled, err := read(`SELECT f.rowid, f.rank FROM segment_ranges r
				CROSS JOIN segments_fts f ON f.rowid BETWEEN r.first_id AND r.last_id
			WHERE r.video_id IN (SELECT value FROM json_each(?2)) AND f.segments_fts MATCH ?1`, match, list)
		if err != nil {
			return nil, nil, 0, err
		}
		vrows, err := db.QueryContext(ctx, `SELECT id, video_id FROM segments WHERE video_id IN (SELECT value FROM json_each(?))`, list)
		if err != nil {
			return nil, nil, 0, err
		}
		for vrows.Next() {
			var id int64
			var v string
			if err := vrows.Scan(&id, &v); err != nil {
				vrows.Close()
				return nil, nil, 0, err
			}
			titles[id] = search.TitleWeight * boost[v]
		}
		vrows.Close()
		all = append(all, titled...)
	}
	seen := map[int64]bool{}
	var cands []scored
	var ids []string
	for _, s := range all {
		if !seen[s.id] {
			seen[s.id] = true
			s.score += titles[s.id]
			cands = append(cands, s)
			ids = append(ids, fmt.Sprint(s.id))
		}
	}
	if nearExpr != "" {
		together, err := read(`SELECT rowid, 0 FROM segments_fts WHERE segments_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
			nearExpr, "["+strings.Join(ids, ",")+"]")
		if err != nil {
			return nil, nil, 0, err
		}
		near := map[int64]bool{}
		for _, s := range together {
			near[s.id] = true
		}
		for i := range cands {
			if near[cands[i].id] {
				cands[i].tier = 1
			}
		}
	}
	first20 := func() []int64 {
		var ids []int64
		for _, s := range cands[:min(20, len(cands))] {
			ids = append(ids, s.id)
		}
		return ids
	}
	slices.SortFunc(cands, byScore)
	bm25 = first20()
	slices.SortFunc(cands, func(a, b scored) int {
		if a.tier != b.tier {
			return b.tier - a.tier
		}
		return byScore(a, b)
	})
	return bm25, first20(), total, nil
}
