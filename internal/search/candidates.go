package search

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/transcripts/site/internal/catalog"
)

// walk is what a search learns from its matches before ranking any: how
// many there are, which videos they are in, and where ranking must stop.
type walk struct {
	matches  int            // segments whose text matches, counted up to CountCap+1
	ids      []int64        // the counted matches, newest first
	videoOf  []string       // the video of each of ids
	perVideo map[string]int // of the counted matches
	order    []string       // videos in the order first met (newest match first)
	bound    int64          // lowest rowid ranked when matches > CountCap, else 0
	took     time.Duration  // reading the matches' ids: about what another pass over them costs
	// ubiquitous: the query's words are in more than half the segments,
	// where BM25 gives a word almost no weight (its IDF is clamped to
	// 1e-6: only how often a line repeats it orders the lines) and
	// scoring would first count its every match: its newest matches are
	// listed unscored.
	ubiquitous bool
	titled     []string // videos whose title matches, best first
	titles     map[string]float64
}

// total returns the number of matches to show and whether it is capped.
func (w walk) total() (int, bool) {
	n := w.matches
	for _, id := range w.titled {
		if w.perVideo[id] == 0 {
			n++ // found by its title alone
		}
	}
	return min(n, CountCap), w.matches > CountCap
}

// videos returns the number of distinct videos with a match.
func (w walk) videos() int {
	n := len(w.order)
	for _, id := range w.titled {
		if w.perVideo[id] == 0 {
			n++
		}
	}
	return n
}

// count records one more match in video v.
func (w *walk) count(v string) {
	if w.perVideo[v] == 0 {
		w.order = append(w.order, v)
	}
	w.perVideo[v]++
}

// resolve looks up the videos of segments the range map does not know
// (written by another tool than the importer), a batch at a time.
func (e *Engine) resolve(ctx context.Context, ids []int64) (map[int64]string, error) {
	found := map[int64]string{}
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		rows, err := e.query(ctx, `SELECT id, video_id FROM segments WHERE id IN (SELECT value FROM json_each(?))`, jsonIDs(batch))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, err
			}
			found[id] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// filter is the SQL and argument restricting a MATCH to some videos: the
// same text for any number of them.
func filter(videos []string) (string, []any) {
	if len(videos) == 0 {
		return "", nil
	}
	return " AND rowid IN (SELECT id FROM segments WHERE video_id IN (SELECT value FROM json_each(?)))", []any{jsonStrings(videos)}
}

// walk reads the matches' rowids newest first, without scoring them (as
// cheap as counting), up to CountCap+1: their number, their videos (from
// the in-memory map of segment ranges) and, for a query matching more
// than CountCap segments, the lowest rowid of the newest RankWindow, below
// which ranking does not go. It also finds the videos whose title matches.
func (e *Engine) walk(ctx context.Context, q Query, videos []string) (walk, error) {
	w := walk{perVideo: map[string]int{}, titles: map[string]float64{}}
	vm, err := e.videoMap(ctx)
	if err != nil {
		return w, err
	}
	match := q.FTS()
	where, args := filter(videos)
	// The ids come as one comma-separated text: a row per id through the
	// driver costs about twice as much as the index read itself.
	began := time.Now()
	var list string
	if err := e.queryRow(ctx, `SELECT coalesce(group_concat(rowid), '') FROM (
			SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?`+where+`
			ORDER BY rowid DESC LIMIT `+strconv.Itoa(CountCap+1)+`)`,
		append([]any{match}, args...), &list); err != nil {
		return w, err
	}
	w.took = time.Since(began)
	ids, err := parseIDs(list)
	if err != nil {
		return w, err
	}
	// group_concat's order is not promised: newest first, as read.
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) })
	w.matches = len(ids)
	if len(ids) > CountCap {
		ids = ids[:CountCap]
		w.bound = ids[RankWindow-1]
	}
	w.ids, w.videoOf = ids, make([]string, len(ids))
	var unknown []int64 // and their places in w.ids
	var unknownAt []int
	var run catalog.SegmentRange // the range of the previous id: ids come in runs
	for i, id := range ids {
		if id < run.FirstID || id > run.LastID {
			var ok bool
			if run, ok = vm.rangeOf(id); !ok {
				unknown, unknownAt = append(unknown, id), append(unknownAt, i)
				continue
			}
		}
		w.videoOf[i] = run.VideoID
		w.count(run.VideoID)
	}
	// Segments written by another tool have no range: looked up.
	found, err := e.resolve(ctx, unknown)
	if err != nil {
		return w, err
	}
	for i, id := range unknown {
		w.videoOf[unknownAt[i]] = found[id]
		w.count(found[id])
	}
	if w.matches > CountCap {
		// The newest matches are denser than one segment in two: the
		// words are that common (estimated from the newest imports).
		// Not for alternatives, one of which may be rare.
		span := w.ids[0] - w.ids[CountCap-1] + 1
		w.ubiquitous = !q.hasAlternatives() && span < 2*CountCap
	}

	titleWhere := ""
	if len(videos) > 0 {
		titleWhere = " AND v.video_id IN (SELECT value FROM json_each(?))"
	}
	rows, err := e.query(ctx, `
		SELECT v.video_id, videos_fts.rank
		FROM videos_fts JOIN videos v ON v.rowid = videos_fts.rowid
		WHERE videos_fts MATCH ?`+titleWhere+`
		ORDER BY videos_fts.rank LIMIT `+strconv.Itoa(maxTitleMatches), append([]any{match}, args...)...)
	if err != nil {
		return w, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var score float64
		if err := rows.Scan(&id, &score); err != nil {
			return w, err
		}
		w.titles[id] = score
		w.titled = append(w.titled, id)
	}
	return w, rows.Err()
}

// rank returns the best limit matches by BM25 over the text (above the
// walk's bound), each boosted by its video's title score when the title
// matches too, plus, for each video found by its title alone, its first
// segment. Below CountCap matches, the order is FTS5's own over every
// match.
func (e *Engine) rank(ctx context.Context, q Query, videos []string, w walk, limit int) ([]Hit, error) {
	vm, err := e.videoMap(ctx)
	if err != nil {
		return nil, err
	}
	if w.ubiquitous {
		return e.newest(ctx, w, limit)
	}
	where, args := filter(videos)
	where += " AND rowid >= ?" // 0 unless the walk bounds ranking
	args = append(args, w.bound)
	// Every match is scored (at most CountCap of them, or the RankWindow
	// newest above the bound) and the best are kept here: FTS5's ORDER BY
	// rank scores the same rows, then sorts them in a second statement,
	// which costs more than the scoring for a thousand rows.
	rows, err := e.query(ctx, `SELECT rowid, rank FROM segments_fts WHERE segments_fts MATCH ?`+where,
		append([]any{q.FTS()}, args...)...)
	if err != nil {
		return nil, err
	}
	type scored struct {
		id     int64
		video  string // known from the segment ranges, or "" (another writer's)
		score  float64
		titled bool
	}
	var all []scored
	for rows.Next() {
		var s scored
		if err := rows.Scan(&s.id, &s.score); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A title match lifts its video's lines before the best are chosen,
	// wherever their words alone would rank them.
	if len(w.titles) > 0 {
		for i := range all {
			a := &all[i]
			a.video = vm.video(a.id)
			if ts, ok := w.titles[a.video]; ok {
				a.score += TitleWeight * ts
				a.titled = true
			}
		}
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(a.score, b.score); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	hits := make([]Hit, 0, min(len(all), limit)+len(w.titled))
	for _, s := range all[:min(len(all), limit)] {
		if s.video == "" {
			s.video = vm.video(s.id)
		}
		hits = append(hits, Hit{SegmentID: s.id, VideoID: s.video, Start: -1, score: s.score, TitleMatch: s.titled})
	}
	var unknown []int64
	for _, h := range hits {
		if h.VideoID == "" {
			unknown = append(unknown, h.SegmentID)
		}
	}
	if len(unknown) > 0 {
		// Segments written by another tool: their video, and its title's
		// boost, are known only now.
		found, err := e.resolve(ctx, unknown)
		if err != nil {
			return nil, err
		}
		for i := range hits {
			h := &hits[i]
			if h.VideoID != "" {
				continue
			}
			h.VideoID = found[h.SegmentID]
			if ts, ok := w.titles[h.VideoID]; ok {
				h.TitleMatch = true
				h.score += TitleWeight * ts
			}
		}
	}
	return e.titleOnly(ctx, w, w.titled, hits)
}

// rankInTime is rank within the engine's rank budget; past it, the
// newest matches are returned unscored and late is true.
func (e *Engine) rankInTime(ctx context.Context, q Query, videos []string, w walk, limit int) ([]Hit, bool, error) {
	return inTime(ctx, e.rankBudget,
		func(ctx context.Context) ([]Hit, error) { return e.rank(ctx, q, videos, w, limit) },
		func() ([]Hit, error) { return e.newest(ctx, w, limit) })
}

// inTime returns what score gives within budget or, when the budget (not
// the search's own deadline) runs out first, what unscored gives, and
// late.
func inTime[T any](ctx context.Context, budget time.Duration, score func(context.Context) (T, error), unscored func() (T, error)) (T, bool, error) {
	sctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	v, err := score(sctx)
	if err != nil && sctx.Err() != nil && ctx.Err() == nil {
		v, err = unscored()
		return v, true, err
	}
	return v, false, err
}

// titleOnly adds to hits the first segment of each of videos that is
// found by its title alone.
func (e *Engine) titleOnly(ctx context.Context, w walk, videos []string, hits []Hit) ([]Hit, error) {
	for _, id := range videos {
		if _, titled := w.titles[id]; !titled || w.perVideo[id] > 0 {
			continue
		}
		h := Hit{TitleMatch: true, titleOnly: true, score: TitleWeight * w.titles[id]}
		err := e.queryRow(ctx, firstSegmentSQL, []any{id}, &h.SegmentID, &h.VideoID, &h.Start, &h.End)
		if errors.Is(err, sql.ErrNoRows) {
			continue // a video without segments
		}
		if err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, nil
}

// newest returns the newest limit matches of a ubiquitous query, unscored
// (ties, listed newest first), boosted by their video's title score, plus
// each video found by its title alone.
func (e *Engine) newest(ctx context.Context, w walk, limit int) ([]Hit, error) {
	var hits []Hit
	for i, id := range w.ids[:min(len(w.ids), limit)] {
		h := Hit{SegmentID: id, VideoID: w.videoOf[i], Start: -1}
		if ts, ok := w.titles[h.VideoID]; ok {
			h.TitleMatch = true
			h.score = TitleWeight * ts
		}
		hits = append(hits, h)
	}
	return e.titleOnly(ctx, w, w.titled, hits)
}

// newestOfVideos returns each of some videos' newest n matches, unscored;
// a video found by its title alone gives its first segment.
func (e *Engine) newestOfVideos(ctx context.Context, w walk, videos []string, n int) (map[string][]Hit, error) {
	shown := map[string]bool{}
	for _, v := range videos {
		shown[v] = true
	}
	best := map[string][]Hit{}
	for i, id := range w.ids {
		v := w.videoOf[i]
		if id >= w.bound && shown[v] && len(best[v]) < n {
			_, titled := w.titles[v]
			best[v] = append(best[v], Hit{SegmentID: id, VideoID: v, Start: -1, TitleMatch: titled})
		}
	}
	return e.addTitleOnly(ctx, w, videos, best)
}

// addTitleOnly gives each of videos found by its title alone its first
// segment in best.
func (e *Engine) addTitleOnly(ctx context.Context, w walk, videos []string, best map[string][]Hit) (map[string][]Hit, error) {
	hits, err := e.titleOnly(ctx, w, videos, nil)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		best[h.VideoID] = []Hit{h}
	}
	return best, nil
}

// highlightCost is what highlighting one segment of 360–490 characters
// costs through this driver (about 60 µs, measured at 1M segments).
const highlightCost = 60 * time.Microsecond

// firstSegmentSQL reads the first segment of a video found by its title
// alone.
const firstSegmentSQL = `
	SELECT id, video_id, start_second, end_second FROM segments
	WHERE video_id = ? ORDER BY start_second LIMIT 1`

// groupOrder lists the videos of a walk for grouped pages: those whose
// title matches first (best first), then by their number of matches (the
// newest first among equals).
func groupOrder(w walk) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range w.titled {
		seen[id] = true
		out = append(out, id)
	}
	for _, f := range facets(w, -1) {
		if !seen[f.VideoID] {
			out = append(out, f.VideoID)
		}
	}
	return out
}

// bestOfVideos ranks the matches of some videos, known from the walk, in
// one pass and returns each video's best n; a video found by its title
// alone gives its first segment. The pass reads the query's matches
// between the lowest and highest of them (at most CountCap) but scores
// only theirs: a grouped page of a word said ten thousand times scores the
// few dozen said in the videos it shows.
func (e *Engine) bestOfVideos(ctx context.Context, q Query, w walk, videos []string, n int) (map[string][]Hit, error) {
	shown := map[string]bool{}
	for _, v := range videos {
		shown[v] = true
	}
	var ids []int64
	videoOf := map[int64]string{}
	candidates := map[string]int{}
	for i, id := range w.ids {
		if v := w.videoOf[i]; id >= w.bound && shown[v] {
			ids = append(ids, id)
			videoOf[id] = v
			candidates[v]++
		}
	}
	best := map[string][]Hit{}
	if len(ids) > 0 {
		// Each candidate is highlighted in this pass when highlighting the
		// ones not shown costs less than a second pass for the shown ones,
		// estimated by the walk's own read of the matches: 0.2 ms for a
		// rare word, over 100 ms for a phrase of common words, which must
		// check every segment holding both. Either way the results are the
		// same.
		unshown := len(ids)
		for _, c := range candidates {
			unshown -= min(n, c)
		}
		marks := 0
		if time.Duration(unshown)*highlightCost <= w.took {
			marks = 1
		}
		rows, err := e.query(ctx, `
			SELECT rowid, rank, CASE WHEN ? THEN highlight(segments_fts, 0, ?, ?) ELSE '' END FROM segments_fts
			WHERE segments_fts MATCH ? AND rowid BETWEEN ? AND ?
				AND +rowid IN (SELECT value FROM json_each(?))`,
			marks, markOpen, markClose, q.FTS(), slices.Min(ids), slices.Max(ids), jsonIDs(ids))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			h := Hit{Start: -1}
			if err := rows.Scan(&h.SegmentID, &h.score, &h.marked); err != nil {
				rows.Close()
				return nil, err
			}
			h.VideoID = videoOf[h.SegmentID]
			if ts, ok := w.titles[h.VideoID]; ok {
				h.TitleMatch = true
				h.score += TitleWeight * ts
			}
			best[h.VideoID] = append(best[h.VideoID], h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for v, hits := range best {
		order(hits, Relevance)
		best[v] = hits[:min(n, len(hits))]
	}
	return e.addTitleOnly(ctx, w, videos, best)
}

// rankLimit is how many matches a page needs ranked: a plain page of hits
// needs only those up to it; grouping by time and title boosts need the
// best RankCap.
func rankLimit(r Request, grouped bool, w walk) int {
	if grouped || r.Sort != Relevance || len(w.titled) > 0 {
		return RankCap
	}
	return min(RankCap, r.Page*PerPage)
}

// fillTimes reads the start and end of hits that lack them (ranked by
// rowid alone), for ordering by time.
func (e *Engine) fillTimes(ctx context.Context, hits []Hit) error {
	var ids []int64
	at := map[int64]int{}
	for i, h := range hits {
		if h.Start < 0 {
			ids = append(ids, h.SegmentID)
			at[h.SegmentID] = i
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := e.query(ctx, `SELECT id, start_second, end_second FROM segments WHERE id IN (SELECT value FROM json_each(?))`, jsonIDs(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var start, end int
		if err := rows.Scan(&id, &start, &end); err != nil {
			return err
		}
		hits[at[id]].Start, hits[at[id]].End = start, end
	}
	return rows.Err()
}

// importTimes fills in when each hit's video was imported.
func (e *Engine) importTimes(ctx context.Context, hits []Hit) error {
	seen := map[string]time.Time{}
	var videos []string
	for _, h := range hits {
		if _, ok := seen[h.VideoID]; !ok {
			seen[h.VideoID] = time.Time{}
			videos = append(videos, h.VideoID)
		}
	}
	if len(videos) == 0 {
		return nil
	}
	rows, err := e.query(ctx, `SELECT video_id, imported_at FROM videos WHERE video_id IN (SELECT value FROM json_each(?))`, jsonStrings(videos))
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

// videoMap tells the video of a segment id from the catalog's runs of
// consecutive ids, kept in memory (about one run per video) and read again
// when the catalog's version changes.
type videoMap struct {
	version int64
	ranges  []catalog.SegmentRange
	byVideo map[string][]catalog.SegmentRange
}

func (m *videoMap) video(id int64) string {
	r, _ := m.rangeOf(id)
	return r.VideoID
}

// rangeOf returns the run of ids holding id, if any.
func (m *videoMap) rangeOf(id int64) (catalog.SegmentRange, bool) {
	i := sort.Search(len(m.ranges), func(i int) bool { return m.ranges[i].LastID >= id })
	if i < len(m.ranges) && m.ranges[i].FirstID <= id {
		return m.ranges[i], true
	}
	return catalog.SegmentRange{}, false
}

// parseIDs reads a comma-separated list of ids.
func parseIDs(list string) ([]int64, error) {
	if list == "" {
		return nil, nil
	}
	ids := make([]int64, 0, strings.Count(list, ",")+1)
	for f := range strings.SplitSeq(list, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("segment id %q: %w", f, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// videoMapCache holds the engine's current map.
type videoMapCache struct {
	mu  sync.Mutex
	cur *videoMap
}

// videoMap returns the map for the catalog's current version.
func (e *Engine) videoMap(ctx context.Context) (*videoMap, error) {
	var version int64
	if err := e.queryRow(ctx, `SELECT version FROM catalog_version WHERE id = 1`, nil, &version); err != nil {
		return nil, err
	}
	e.maps.mu.Lock()
	defer e.maps.mu.Unlock()
	if e.maps.cur != nil && e.maps.cur.version == version {
		return e.maps.cur, nil
	}
	rs, err := catalog.SegmentRanges(ctx, e.db)
	if err != nil {
		return nil, err
	}
	m := &videoMap{version: version, ranges: rs, byVideo: map[string][]catalog.SegmentRange{}}
	for _, r := range rs {
		m.byVideo[r.VideoID] = append(m.byVideo[r.VideoID], r)
	}
	e.maps.cur = m
	return m, nil
}

// parseTime reads imported_at, written by catalog.Import as RFC 3339.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
