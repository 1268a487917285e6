// Package search runs full-text searches over the catalog's segments:
// it turns what a person typed into a safe FTS5 expression, ranks matches
// by BM25 (a match in a video's title counting above one in the text),
// estimates the second each match is spoken, and returns pages of hits or
// of videos, with facets, highlighted snippets and spelling suggestions.
package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	// PerPage is the number of hits on a results page.
	PerPage = 20
	// GroupsPerPage is the number of videos on a grouped results page.
	GroupsPerPage = 10
	// SnippetsPerGroup is how many of a video's best hits its card shows.
	SnippetsPerGroup = 3
	// CountCap bounds exact totals: beyond it they read "20,000+".
	// Counting is cheap next to ranking (no score, no sort). It is also
	// where ranking stops being exhaustive: a query matching more segments
	// is ranked among the CountCap most recently imported of them, so no
	// query makes the server score a million rows.
	CountCap = 20_000
	// RankCap bounds the matches one search ranks, groups, counts per
	// video and pages through, so no URL makes the server rank and skip an
	// unbounded number of rows.
	RankCap = 1_000
	// MaxPage is the deepest page of hits.
	MaxPage = RankCap / PerPage
	// MaxVideoFilters bounds the video= filters of one search.
	MaxVideoFilters = 20

	// TitleWeight scales a video's title score (BM25 over titles) before
	// it is added to the score of each of its matching segments.
	TitleWeight = 2.0
	// LeadIn is how many seconds before the estimated moment a link
	// starts, so the words are heard from their beginning.
	LeadIn = 2

	// Snippet markers: control characters, which the importer removes
	// from transcript text, so they can only come from snippet().
	markOpen  = "\x02"
	markClose = "\x03"
	// snippetTokens is how many words of a segment a snippet shows.
	snippetTokens = 40
	// maxTitleMatches bounds the videos whose title match boosts a search.
	maxTitleMatches = 20
)

// Engine searches the catalog's full-text index.
type Engine struct {
	db      *sql.DB
	timeout time.Duration
}

// New returns an Engine over the catalog database db; each search is
// abandoned after timeout.
func New(db *sql.DB, timeout time.Duration) *Engine {
	return &Engine{db: db, timeout: timeout}
}

// Sort is the order of hits.
type Sort int

const (
	// Relevance puts the best matches first.
	Relevance Sort = iota
	// Time lists hits video by video (in catalog order), each video's in
	// the order they are spoken.
	Time
	// Newest puts hits from the most recently imported videos first, best
	// first within a video (for feeds of a saved search).
	Newest
)

// Grouping says whether a page lists hits or videos.
type Grouping int

const (
	// GroupAuto groups by video when the hits span more than a page and
	// more than one video.
	GroupAuto Grouping = iota
	// GroupVideos shows one card per video with its best hits.
	GroupVideos
	// GroupNone lists hits.
	GroupNone
)

// Request is one search: what was typed and how to present it.
type Request struct {
	Query  string
	Page   int // from 1
	Sort   Sort
	Group  Grouping
	Videos []string // only these videos, when not empty
}

// Fragment is a piece of a snippet: matched words or the text around them.
type Fragment struct {
	Text  string
	Match bool
}

// Hit is one matching segment.
type Hit struct {
	SegmentID  int64
	VideoID    string
	Title      string // may be empty
	Thumbnail  string
	Start      int
	End        int
	Moment     int    // estimated second the first matched word is spoken, less LeadIn
	Text       string // the whole segment
	Snippet    []Fragment
	ImportedAt time.Time // when the hit's video was last imported
	TitleMatch bool      // the video's title matches the query
	score      float64   // lower is better
}

// Group is one video's hits on a grouped results page.
type Group struct {
	VideoID   string
	Title     string
	Thumbnail string
	Count     int   // matching segments in the video among the ranked ones
	Hits      []Hit // its best, at most SnippetsPerGroup
}

// Facet is a video with its number of matching segments.
type Facet struct {
	VideoID string
	Title   string
	Count   int
}

// Results is one page of a search.
type Results struct {
	Query   Query
	Request Request
	Total   int  // matching segments, exact up to CountCap
	Capped  bool // there are more than CountCap matches: ranked among the newest CountCap
	Ranked  int  // the best matches ranked, grouped and paged: at most RankCap
	Videos  int  // distinct videos among the ranked matches
	Hits    []Hit
	Groups  []Group // with Grouped: one per video on the page
	Facets  []Facet // the videos with most matches (ignoring the video filter)
	Grouped bool
}

// Pages returns the number of pages of hits (or of videos when grouped).
func (r Results) Pages() int {
	if r.Grouped {
		return (r.Videos + GroupsPerPage - 1) / GroupsPerPage
	}
	return (r.Ranked + PerPage - 1) / PerPage
}

// badRequest reports a request that cannot be searched.
func badRequest(input, reason string) error {
	return fmt.Errorf("search %q: %w", input, &QueryError{Reason: reason})
}

func (r Request) check() (Query, error) {
	q, err := Parse(r.Query)
	if err != nil {
		return Query{}, fmt.Errorf("search %q: %w", r.Query, err)
	}
	if r.Page < 1 || r.Page > MaxPage {
		return Query{}, badRequest(r.Query, fmt.Sprintf("Results go from page 1 to %d.", MaxPage))
	}
	if len(r.Videos) > MaxVideoFilters {
		return Query{}, badRequest(r.Query, fmt.Sprintf("A search can be limited to at most %d videos.", MaxVideoFilters))
	}
	return q, nil
}

// Search returns a page of hits for r, or of videos when grouped. A
// request that cannot be searched returns an error wrapping ErrBadQuery;
// one that runs out of time, context.DeadlineExceeded.
func (e *Engine) Search(ctx context.Context, r Request) (Results, error) {
	q, err := r.check()
	if err != nil {
		return Results{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()

	all, err := e.candidates(ctx, q, nil)
	if err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	res := Results{Query: q, Request: r, Facets: facets(all.hits, 10)}
	set := all
	if len(r.Videos) > 0 {
		if set, err = e.candidates(ctx, q, r.Videos); err != nil {
			return Results{}, e.wrap(ctx, r.Query, err)
		}
	}
	hits := set.hits
	res.Total, res.Capped = set.total()
	res.Ranked = len(hits)
	res.Videos = len(facets(hits, -1))
	res.Grouped = r.Group == GroupVideos || (r.Group == GroupAuto && res.Ranked > PerPage && res.Videos > 1)
	if r.Sort == Newest {
		if err := e.importTimes(ctx, hits); err != nil {
			return Results{}, e.wrap(ctx, r.Query, err)
		}
	}
	order(hits, r.Sort)

	var page []Hit
	if res.Grouped {
		res.Groups = groups(hits, r.Page)
		for _, g := range res.Groups {
			page = append(page, g.Hits...)
		}
	} else {
		from := min(len(hits), (r.Page-1)*PerPage)
		page = hits[from:min(len(hits), from+PerPage)]
		res.Hits = page
	}
	if err := e.describe(ctx, q, page); err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	for i := range res.Groups {
		g := &res.Groups[i]
		n := copy(g.Hits, page)
		page = page[n:]
		g.Title, g.Thumbnail = g.Hits[0].Title, g.Hits[0].Thumbnail
	}
	// The facets name the videos and always include the filtered ones, so
	// each filter can be lifted where it is shown.
	counts := facets(all.hits, -1)
	for _, id := range r.Videos {
		if !slices.ContainsFunc(res.Facets, func(f Facet) bool { return f.VideoID == id }) {
			f := Facet{VideoID: id}
			if i := slices.IndexFunc(counts, func(f Facet) bool { return f.VideoID == id }); i >= 0 {
				f.Count = counts[i].Count
			}
			res.Facets = append(res.Facets, f)
		}
	}
	if err := e.nameFacets(ctx, res.Facets); err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	return res, nil
}

// nameFacets fills in the title of each facet's video.
func (e *Engine) nameFacets(ctx context.Context, fs []Facet) error {
	if len(fs) == 0 {
		return nil
	}
	var args []any
	for _, f := range fs {
		args = append(args, f.VideoID)
	}
	rows, err := e.db.QueryContext(ctx, `SELECT video_id, title FROM videos WHERE video_id IN (`+placeholders(len(fs))+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, title string
		if err := rows.Scan(&id, &title); err != nil {
			return err
		}
		for i := range fs {
			if fs[i].VideoID == id {
				fs[i].Title = title
			}
		}
	}
	return rows.Err()
}

// Each calls fn with up to limit hits of r (r.Page is ignored) in order,
// for exports and feeds. An error from fn stops the iteration and is
// returned.
func (e *Engine) Each(ctx context.Context, r Request, limit int, fn func(Hit) error) error {
	r.Page = 1
	q, err := r.check()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	set, err := e.candidates(ctx, q, r.Videos)
	if err != nil {
		return e.wrap(ctx, r.Query, err)
	}
	hits := set.hits
	if r.Sort == Newest {
		if err := e.importTimes(ctx, hits); err != nil {
			return e.wrap(ctx, r.Query, err)
		}
	}
	order(hits, r.Sort)
	hits = hits[:min(len(hits), limit)]
	// Snippets are built a batch at a time, so a long export streams.
	for batch := range slices.Chunk(hits, 200) {
		if err := e.describe(ctx, q, batch); err != nil {
			return e.wrap(ctx, r.Query, err)
		}
		for _, h := range batch {
			if err := fn(h); err != nil {
				return err
			}
		}
	}
	return nil
}

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

// order sorts hits by relevance (best first), by time (video by video in
// the order of their best hit, then as spoken) or newest first. Ties break
// on the segment id so every order is stable across requests.
func order(hits []Hit, sort Sort) {
	byScore := func(a, b Hit) int {
		if a.score != b.score {
			if a.score < b.score {
				return -1
			}
			return 1
		}
		return int(a.SegmentID - b.SegmentID)
	}
	switch sort {
	case Time:
		best := map[string]int{} // video → rank of its best hit
		slices.SortFunc(hits, byScore)
		for i, h := range hits {
			if _, ok := best[h.VideoID]; !ok {
				best[h.VideoID] = i
			}
		}
		slices.SortStableFunc(hits, func(a, b Hit) int {
			if best[a.VideoID] != best[b.VideoID] {
				return best[a.VideoID] - best[b.VideoID]
			}
			return a.Start - b.Start
		})
	case Newest:
		slices.SortFunc(hits, func(a, b Hit) int {
			if c := b.ImportedAt.Compare(a.ImportedAt); c != 0 {
				return c
			}
			return byScore(a, b)
		})
	default:
		slices.SortFunc(hits, byScore)
	}
}

// facets counts hits per video, most first; n < 0 keeps them all.
func facets(hits []Hit, n int) []Facet {
	idx := map[string]int{}
	var fs []Facet
	for _, h := range hits {
		i, ok := idx[h.VideoID]
		if !ok {
			i = len(fs)
			idx[h.VideoID] = i
			fs = append(fs, Facet{VideoID: h.VideoID})
		}
		fs[i].Count++
	}
	slices.SortStableFunc(fs, func(a, b Facet) int { return b.Count - a.Count })
	if n >= 0 && len(fs) > n {
		fs = fs[:n]
	}
	return fs
}

// groups returns the page'th page of videos, in the order of their best
// hit, each with its best SnippetsPerGroup hits.
func groups(hits []Hit, page int) []Group {
	idx := map[string]int{}
	var gs []Group
	for _, h := range hits {
		i, ok := idx[h.VideoID]
		if !ok {
			i = len(gs)
			idx[h.VideoID] = i
			gs = append(gs, Group{VideoID: h.VideoID})
		}
		gs[i].Count++
		if len(gs[i].Hits) < SnippetsPerGroup {
			gs[i].Hits = append(gs[i].Hits, h)
		}
	}
	from := min(len(gs), (page-1)*GroupsPerPage)
	return gs[from:min(len(gs), from+GroupsPerPage)]
}

// describe fills in what a page shows of its hits: video title and
// thumbnail, text, snippet and the estimated moment.
func (e *Engine) describe(ctx context.Context, q Query, hits []Hit) error {
	if len(hits) == 0 {
		return nil
	}
	args := []any{markOpen, markClose, q.FTS()}
	for _, h := range hits {
		args = append(args, h.SegmentID)
	}
	// The scalar subquery runs the MATCH once per shown row (a rowid
	// lookup) for its highlighted text, from which both the snippet and
	// the moment are taken.
	rows, err := e.db.QueryContext(ctx, `
		SELECT s.id, v.title, v.thumbnail, v.imported_at, s.text,
			(SELECT highlight(segments_fts, 0, ?1, ?2) FROM segments_fts WHERE segments_fts MATCH ?3 AND rowid = s.id)
		FROM segments s JOIN videos v ON v.video_id = s.video_id
		WHERE s.id IN (`+placeholders(len(hits))+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := map[int64]int{}
	for i, h := range hits {
		byID[h.SegmentID] = i
	}
	for rows.Next() {
		var id int64
		var title, thumb, imported, text string
		var highlighted sql.NullString
		if err := rows.Scan(&id, &title, &thumb, &imported, &text, &highlighted); err != nil {
			return err
		}
		h := &hits[byID[id]]
		h.Title, h.Thumbnail, h.Text = title, thumb, text
		h.ImportedAt = parseTime(imported)
		if highlighted.Valid {
			h.Snippet = fragments(snippet(highlighted.String, snippetTokens))
		} else {
			// Found by its title: the segment's own words do not match.
			h.Snippet = []Fragment{{Text: shorten(text, 240)}}
		}
		h.Moment = moment(*h, highlighted.String)
	}
	return rows.Err()
}

// snippet returns the window of about n words of a highlighted text that
// holds the most matches (the first such), with "…" where it cuts the
// text, its markers balanced.
func snippet(highlighted string, n int) string {
	words := strings.Fields(highlighted)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	matches := func(w string) int { return strings.Count(w, markOpen) }
	best, bestCount, count := 0, -1, 0
	for i, w := range words {
		count += matches(w)
		if i >= n {
			count -= matches(words[i-n])
		}
		if i >= n-1 && count > bestCount {
			best, bestCount = i-n+1, count
		}
	}
	// Start a little before the first match in the window, so it reads
	// in context.
	for i := best; i < best+n; i++ {
		if matches(words[i]) > 0 {
			best = max(0, min(i-4, len(words)-n))
			break
		}
	}
	window := strings.Join(words[best:best+n], " ")
	// A phrase's markers may fall on both sides of a cut.
	if o, c := strings.Index(window, markOpen), strings.Index(window, markClose); c >= 0 && (o < 0 || c < o) {
		window = markOpen + window
	}
	if strings.LastIndex(window, markOpen) > strings.LastIndex(window, markClose) {
		window += markClose
	}
	if best > 0 {
		window = "…" + window
	}
	if best+n < len(words) {
		window += "…"
	}
	return window
}

// moment estimates the second the first matched word of a hit is spoken,
// by its position in the segment's text between start and end, less a
// lead-in, never before the segment's start.
func moment(h Hit, highlighted string) int {
	i := strings.Index(highlighted, markOpen)
	if i < 0 || h.End <= h.Start {
		return h.Start
	}
	before := utf8.RuneCountInString(strings.ReplaceAll(strings.ReplaceAll(highlighted[:i], markOpen, ""), markClose, ""))
	total := utf8.RuneCountInString(h.Text)
	if total == 0 {
		return h.Start
	}
	at := h.Start + (h.End-h.Start)*before/total - LeadIn
	return max(h.Start, at)
}

// shorten cuts s to about n bytes at a word boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + "…"
}

// wrap adds context to a database error. A deadline is reported as such
// (SQLite reports an interrupt); an FTS5 syntax error, which the
// translator should make impossible, still reaches the reader as a bad
// query rather than a failure.
func (e *Engine) wrap(ctx context.Context, input string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("search %q: %w", input, ctxErr)
	}
	if strings.Contains(err.Error(), "fts5:") {
		return fmt.Errorf("search %q: %w (%v)", input, &QueryError{Reason: "This query could not be searched."}, err)
	}
	return fmt.Errorf("search %q: %w", input, err)
}

// fragments splits a snippet with markers into plain and matched text.
func fragments(s string) []Fragment {
	var out []Fragment
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			out = append(out, Fragment{Text: s})
			break
		}
		if i > 0 {
			out = append(out, Fragment{Text: s[:i]})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			j = len(s)
		}
		out = append(out, Fragment{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], markClose)
	}
	return out
}

// IsBadQuery reports whether err is about the query rather than the
// server, and returns the reader-facing reason.
func IsBadQuery(err error) (string, bool) {
	var qe *QueryError
	if errors.As(err, &qe) {
		return qe.Reason, true
	}
	return "", false
}
