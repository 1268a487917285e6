// Package search runs full-text searches over the catalog's segments:
// it turns what a person typed into a safe FTS5 expression, ranks matches
// by BM25 (a match in a video's title counting above one in the text),
// estimates the second each match is spoken, and returns pages of hits or
// of videos, with facets, highlighted snippets and spelling suggestions.
package search

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
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
	// is ranked among the RankWindow most recently imported of them, so no
	// query makes the server score a million rows.
	CountCap = 20_000
	// RankWindow is how many of the newest matches of such a query are
	// ranked.
	RankWindow = 2_000
	// RankCap bounds the matches one search ranks, groups, counts per
	// video and pages through, so no URL makes the server rank and skip an
	// unbounded number of rows.
	RankCap = 1_000
	// MaxPage is the deepest page of hits.
	MaxPage = RankCap / PerPage
	// RankBudget bounds the time scoring one search's matches may take
	// (a quarter of the search's timeout when that is less). BM25 first
	// counts every match of each word, which for a phrase of common words
	// in a large collection means checking every segment holding them all:
	// past the budget the newest matches are listed instead, with a notice.
	RankBudget = time.Second
	// MaxVideoFilters bounds the video= filters of one search.
	MaxVideoFilters = 20

	// TitleWeight scales a video's title score (BM25 over titles) before
	// it is added to the score of each of its matching segments.
	TitleWeight = 2.0
	// LeadIn is how many seconds before the estimated moment a link
	// starts, so the words are heard from their beginning.
	LeadIn = 2

	// Highlight markers: control characters, which the importer removes
	// from transcript text, so they can only come from highlight().
	markOpen  = "\x02"
	markClose = "\x03"
	// snippetTokens is how many words of a segment a snippet shows.
	snippetTokens = 40
	// maxTitleMatches bounds the videos whose title match boosts a search.
	maxTitleMatches = 20
)

// Engine searches the catalog's full-text index.
type Engine struct {
	db         *sql.DB
	timeout    time.Duration
	rankBudget time.Duration
	maps       videoMapCache
	stmts      statements
}

// New returns an Engine over the catalog database db; each search is
// abandoned after timeout.
func New(db *sql.DB, timeout time.Duration) *Engine {
	return &Engine{db: db, timeout: timeout, rankBudget: min(RankBudget, timeout/4), stmts: statements{db: db}}
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
	titleOnly  bool      // found by its video's title: its own words do not match
	marked     string    // the text with its matches marked, when already read
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
	Capped  bool // there are more than CountCap matches: ranked among the newest RankWindow
	// Unranked: the newest matches are listed, unscored, because the
	// query's words are in more than half the segments, which BM25 weighs
	// at almost nothing (Ubiquitous), or because scoring them ran out of
	// time (RankBudget).
	Unranked   bool
	Ubiquitous bool
	Ranked     int // the best matches ranked, grouped and paged: at most RankCap
	Videos     int // distinct videos among the matches (within CountCap)
	Hits       []Hit
	Groups     []Group // with Grouped: one per video on the page
	Facets     []Facet // the videos with most matches (ignoring the video filter)
	Grouped    bool

	groupPages int // pages of videos when grouped
}

// Pages returns the number of pages of hits (or of videos when grouped).
func (r Results) Pages() int {
	if r.Grouped {
		return r.groupPages
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

	all, err := e.walk(ctx, q, nil)
	if err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	w := all
	if len(r.Videos) > 0 {
		if w, err = e.walk(ctx, q, r.Videos); err != nil {
			return Results{}, e.wrap(ctx, r.Query, err)
		}
	}
	res := Results{Query: q, Request: r, Facets: facets(all, 10)}
	res.Total, res.Capped = w.total()
	res.Unranked, res.Ubiquitous = w.ubiquitous, w.ubiquitous
	res.Ranked = min(res.Total, RankCap)
	res.Videos = w.videos()
	res.Grouped = r.Group == GroupVideos || (r.Group == GroupAuto && res.Total > PerPage && res.Videos > 1)
	if res.Grouped && r.Sort == Relevance && w.bound == 0 {
		// Grouped by relevance, a page needs no collection-wide ranking:
		// the matches of the videos it shows are ranked.
		var late bool
		if res.Groups, res.groupPages, late, err = e.groupsInOrder(ctx, q, w, r.Page); err != nil {
			return Results{}, e.wrap(ctx, r.Query, err)
		}
		res.Unranked = res.Unranked || late
	} else {
		hits, late, err := e.rankInTime(ctx, q, r.Videos, w, rankLimit(r, res.Grouped, w))
		if err != nil {
			return Results{}, e.wrap(ctx, r.Query, err)
		}
		res.Unranked = res.Unranked || late
		if err := e.prepareOrder(ctx, hits, r.Sort); err != nil {
			return Results{}, e.wrap(ctx, r.Query, err)
		}
		order(hits, r.Sort)
		switch {
		case res.Grouped:
			var videos int
			res.Groups, videos = groups(hits, r.Page)
			res.groupPages = (videos + GroupsPerPage - 1) / GroupsPerPage
		default:
			res.Hits = pageOf(hits, r.Page, PerPage)
		}
	}
	page := res.Hits
	for _, g := range res.Groups {
		page = append(page, g.Hits...)
	}
	if err := e.describe(ctx, q, page); err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	for i := range res.Groups {
		g := &res.Groups[i]
		n := copy(g.Hits, page)
		page = page[n:]
		g.Title, g.Thumbnail = g.Hits[0].Title, g.Hits[0].Thumbnail
		// Counted over every match (within CountCap), not just the ranked.
		g.Count = max(1, w.perVideo[g.VideoID])
	}
	// The facets name the videos and always include the filtered ones, so
	// each filter can be lifted where it is shown.
	for _, id := range r.Videos {
		if !slices.ContainsFunc(res.Facets, func(f Facet) bool { return f.VideoID == id }) {
			res.Facets = append(res.Facets, Facet{VideoID: id, Count: all.perVideo[id]})
		}
	}
	if err := e.nameFacets(ctx, res.Facets); err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	return res, nil
}

// prepareOrder reads what ordering hits by time or import needs.
func (e *Engine) prepareOrder(ctx context.Context, hits []Hit, sort Sort) error {
	switch sort {
	case Time:
		return e.fillTimes(ctx, hits)
	case Newest:
		return e.importTimes(ctx, hits)
	}
	return nil
}

// nameFacets fills in the title of each facet's video.
func (e *Engine) nameFacets(ctx context.Context, fs []Facet) error {
	if len(fs) == 0 {
		return nil
	}
	videos := make([]string, len(fs))
	for i, f := range fs {
		videos[i] = f.VideoID
	}
	rows, err := e.query(ctx, `SELECT video_id, title FROM videos WHERE video_id IN (SELECT value FROM json_each(?))`, jsonStrings(videos))
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
	w, err := e.walk(ctx, q, r.Videos)
	if err != nil {
		return e.wrap(ctx, r.Query, err)
	}
	hits, _, err := e.rankInTime(ctx, q, r.Videos, w, RankCap)
	if err != nil {
		return e.wrap(ctx, r.Query, err)
	}
	if err := e.prepareOrder(ctx, hits, r.Sort); err != nil {
		return e.wrap(ctx, r.Query, err)
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

// order sorts hits by relevance (best first), by time (video by video in
// the order of their best hit, then as spoken) or newest first. Ties break
// on the segment id, the newest first, so every order is stable across
// requests.
func order(hits []Hit, sort Sort) {
	byScore := func(a, b Hit) int {
		if a.score != b.score {
			if a.score < b.score {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.SegmentID, a.SegmentID) // the newest first
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

// facets returns the videos with most matches, most first (the first met,
// that is the newest, first among equals); n < 0 keeps them all. A video
// found by its title alone counts one.
func facets(w walk, n int) []Facet {
	type ranked struct {
		Facet
		met int // the order first met, newest first
	}
	rs := make([]ranked, 0, len(w.order)+len(w.titled))
	for _, id := range w.order {
		rs = append(rs, ranked{Facet{VideoID: id, Count: w.perVideo[id]}, len(rs)})
	}
	for _, id := range w.titled {
		if w.perVideo[id] == 0 {
			rs = append(rs, ranked{Facet{VideoID: id, Count: 1}, len(rs)})
		}
	}
	// Most first, then as met: a total order sorts several times faster
	// than a stable sort over thousands of videos.
	slices.SortFunc(rs, func(a, b ranked) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return a.met - b.met
	})
	if n >= 0 && len(rs) > n {
		rs = rs[:n]
	}
	fs := make([]Facet, len(rs))
	for i, r := range rs {
		fs[i] = r.Facet
	}
	return fs
}

// groups returns the page'th page of videos, in the order of their best
// hit, each with its best SnippetsPerGroup hits, and the number of videos
// among the hits.
func groups(hits []Hit, page int) ([]Group, int) {
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
	return pageOf(gs, page, GroupsPerPage), len(gs)
}

// groupsInOrder returns the page'th page of videos in groupOrder, each
// with its best hits (a video without any is left out), and the number of
// pages.
// Past the engine's rank budget, each video shows its newest matches,
// unscored, and late is true.
func (e *Engine) groupsInOrder(ctx context.Context, q Query, w walk, page int) (gs []Group, pages int, late bool, err error) {
	videos := groupOrder(w)
	shown := pageOf(videos, page, GroupsPerPage)
	best, late, err := inTime(ctx, e.rankBudget,
		func(ctx context.Context) (map[string][]Hit, error) {
			return e.bestOfVideos(ctx, q, w, shown, SnippetsPerGroup)
		},
		func() (map[string][]Hit, error) { return e.newestOfVideos(ctx, w, shown, SnippetsPerGroup) })
	if err != nil {
		return nil, 0, late, err
	}
	for _, id := range shown {
		if hits := best[id]; len(hits) > 0 {
			gs = append(gs, Group{VideoID: id, Hits: hits})
		}
	}
	return gs, (len(videos) + GroupsPerPage - 1) / GroupsPerPage, late, nil
}

// pageOf returns the page'th page (from 1) of per items of s.
func pageOf[T any](s []T, page, per int) []T {
	from := min(len(s), (page-1)*per)
	return s[from:min(len(s), from+per)]
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

// IsBadQuery reports whether err is about the query rather than the
// server, and returns the reader-facing reason.
func IsBadQuery(err error) (string, bool) {
	var qe *QueryError
	if errors.As(err, &qe) {
		return qe.Reason, true
	}
	return "", false
}
