package search

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// candidateSet is what a search ranks.
type candidateSet struct {
	hits      []Hit // the best RankCap, unordered
	matches   int   // segments whose text matches, counted up to CountCap+1
	titleOnly int   // hits found by a title alone
}

// total returns the number of matches to show and whether it is capped.
func (c candidateSet) total() (int, bool) {
	n := c.matches + c.titleOnly
	return min(n, CountCap), c.matches > CountCap
}

// candidates returns up to RankCap matching segments with their scores:
// the best by BM25 over the text, each boosted by its video's title score
// when the title matches too, plus, for a video found by its title alone,
// its first segment. Only videos are searched when it is not empty.
//
// The cost is bounded: matches are first counted (cheap: no score), and
// when more than CountCap segments match, only the CountCap most recently
// imported (the highest rowids) are ranked, found by walking the index
// backwards (cheap too). Below that every match is ranked, exactly as a
// full BM25 ranking would.
func (e *Engine) candidates(ctx context.Context, q Query, videos []string) (set candidateSet, err error) {
	var hits []Hit
	match := q.FTS()
	var videoArgs []any
	for _, v := range videos {
		videoArgs = append(videoArgs, v)
	}
	segmentFilter, titleFilter := "", ""
	if len(videos) > 0 {
		segmentFilter = " AND rowid IN (SELECT id FROM segments WHERE video_id IN (" + placeholders(len(videos)) + "))"
		titleFilter = " AND v.video_id IN (" + placeholders(len(videos)) + ")"
	}

	if err := e.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM segments_fts WHERE segments_fts MATCH ?`+segmentFilter+` LIMIT `+strconv.Itoa(CountCap+1)+`)`,
		append([]any{match}, videoArgs...)...).Scan(&set.matches); err != nil {
		return set, err
	}
	bound := ""
	if set.matches > CountCap {
		var lo int64
		if err := e.db.QueryRowContext(ctx, `SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?`+segmentFilter+` ORDER BY rowid DESC LIMIT 1 OFFSET `+strconv.Itoa(CountCap-1),
			append([]any{match}, videoArgs...)...).Scan(&lo); err != nil {
			return set, err
		}
		bound = " AND rowid >= " + strconv.FormatInt(lo, 10)
	}

	// The titles that match, best first.
	titleScore := map[string]float64{}
	var titled []string
	rows, err := e.db.QueryContext(ctx, `
		SELECT v.video_id, videos_fts.rank
		FROM videos_fts JOIN videos v ON v.rowid = videos_fts.rowid
		WHERE videos_fts MATCH ?`+titleFilter+`
		ORDER BY videos_fts.rank LIMIT `+strconv.Itoa(maxTitleMatches), append([]any{match}, videoArgs...)...)
	if err != nil {
		return set, err
	}
	for rows.Next() {
		var id string
		var score float64
		if err := rows.Scan(&id, &score); err != nil {
			rows.Close()
			return set, err
		}
		titleScore[id] = score
		titled = append(titled, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return set, err
	}

	// The best segments by their text; ORDER BY rank lets FTS5 keep only
	// the best RankCap while it ranks.
	rows, err = e.db.QueryContext(ctx, `
		WITH top AS (
			SELECT rowid AS id, rank AS score FROM segments_fts
			WHERE segments_fts MATCH ?`+segmentFilter+bound+`
			ORDER BY rank LIMIT `+strconv.Itoa(RankCap)+`
		)
		SELECT top.id, top.score, s.video_id, s.start_second, s.end_second
		FROM top JOIN segments s ON s.id = top.id`, append([]any{match}, videoArgs...)...)
	if err != nil {
		return set, err
	}
	defer rows.Close()
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.SegmentID, &h.score, &h.VideoID, &h.Start, &h.End); err != nil {
			return set, err
		}
		if ts, ok := titleScore[h.VideoID]; ok {
			h.TitleMatch = true
			h.score += TitleWeight * ts
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return set, err
	}

	// A video whose title matches but none of whose segments do is found
	// at its first segment.
	for _, id := range titled {
		if videoHasHit(hits, id) {
			continue
		}
		h := Hit{TitleMatch: true, score: TitleWeight * titleScore[id]}
		err := e.db.QueryRowContext(ctx, `
			SELECT id, video_id, start_second, end_second FROM segments
			WHERE video_id = ? ORDER BY start_second LIMIT 1`, id).Scan(&h.SegmentID, &h.VideoID, &h.Start, &h.End)
		if errors.Is(err, sql.ErrNoRows) {
			continue // a video without segments
		}
		if err != nil {
			return set, err
		}
		hits = append(hits, h)
		set.titleOnly++
	}
	set.hits = hits
	return set, nil
}

// importTimes fills in when each hit's video was imported.
func (e *Engine) importTimes(ctx context.Context, hits []Hit) error {
	seen := map[string]time.Time{}
	var args []any
	for _, h := range hits {
		if _, ok := seen[h.VideoID]; !ok {
			seen[h.VideoID] = time.Time{}
			args = append(args, h.VideoID)
		}
	}
	if len(args) == 0 {
		return nil
	}
	rows, err := e.db.QueryContext(ctx, `SELECT video_id, imported_at FROM videos WHERE video_id IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, imported string
		if err := rows.Scan(&id, &imported); err != nil {
			return err
		}
		seen[id] = parseTime(imported)
	}
	for i := range hits {
		hits[i].ImportedAt = seen[hits[i].VideoID]
	}
	return rows.Err()
}

// parseTime reads imported_at, written by catalog.Import as RFC 3339.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func videoHasHit(hits []Hit, videoID string) bool {
	return slices.ContainsFunc(hits, func(h Hit) bool { return h.VideoID == videoID })
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
