// Package search is the query language and the ranking policy of the
// site: it turns what a person typed into a Query, decides what to match
// and how to rank (BM25, a match in a video's title counting above one in
// the text), estimates the second each match is spoken, and returns pages
// of hits or of videos, with facets, highlighted snippets and spelling
// suggestions. It reads the collection through an Index (index.go), which
// internal/catalog implements over SQLite; it writes no SQL of its own.
package search

import (
	"context"
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
	// MaxGroupPage is the deepest page a request may ask for: grouped
	// pages list every matching video, GroupsPerPage a page, and a
	// collection of 100,000 videos fills this many; a page of hits past
	// MaxPage is empty.
	MaxGroupPage = 10_000
	// MaxVideoFilters bounds the video= filters of one search.
	MaxVideoFilters = 20

	// TitleWeight scales a video's title score (BM25 over titles) before
	// it is added to the score of each of its matching segments.
	TitleWeight = 2.0
	// LeadIn is how many seconds before the estimated moment a link
	// starts, so the words are heard from their beginning.
	LeadIn = 2

	// snippetTokens is how many words of a segment a snippet shows.
	snippetTokens = 40
	// maxTitleMatches bounds the videos whose title match boosts a search.
	maxTitleMatches = 20
)

// Engine searches an Index. Its work is bounded by the counts above, never
// by the clock, so the same query over the same data always gives the
// same answer; timeout only abandons a search that cannot finish.
type Engine struct {
	index   Index
	timeout time.Duration
	// countCap and rankWindow are CountCap and RankWindow, smaller in
	// tests that take the path of frequent words on a small collection.
	countCap, rankWindow int
}

// New returns an Engine over index; each search is abandoned after
// timeout.
func New(index Index, timeout time.Duration) *Engine {
	return &Engine{index: index, timeout: timeout, countCap: CountCap, rankWindow: RankWindow}
}

// Sort is the order of hits.
type Sort int

const (
	// Relevance puts the best matches first.
	Relevance Sort = iota
	// Time lists hits video by video (in catalog order), each video's in
	// the order they are spoken.
	Time
	// Imported puts hits from the most recently imported videos first,
	// best first within a video (for feeds of a saved search).
	Imported
	// Newest puts hits from the most recently published videos first
	// (undated videos last), best first within a video.
	Newest
	// Oldest puts hits from the earliest published videos first (undated
	// videos last), best first within a video.
	Oldest
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
	// Repeat lists only the copies of one repeated text (a cluster), all
	// of them, when not 0.
	Repeat int64
	// Narrow narrows the search by channel, speaker and publication date
	// (its Videos and Repeat are not read); operators typed in the query
	// fill what it leaves unset.
	Narrow Filter
	// Verbatim searches the words exactly as typed: every word
	// required, nothing corrected.
	Verbatim bool
}

// Fragment is a piece of a snippet: matched words or the text around them.
type Fragment struct {
	Text  string
	Match bool
}

// Hit is one matching segment as a page shows it.
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
	Missing    []string  // in relaxed results, the words the line lacks
	ChannelID  string
	Channel    string
	Published  string // YYYY-MM-DD, "" when unknown
	Speaker    string // "" when the transcript does not say
	Chapter    string // the chapter the line is in, "" when none
	// Repeat is the cluster of repeated text (a sponsor read, an intro)
	// the line belongs to, 0 for conversation; Copies counts the other
	// videos whose copies of it matched and were folded into this hit.
	Repeat int64
	Copies int
}

// Group is one video's hits on a grouped results page.
type Group struct {
	VideoID   string
	Title     string
	Thumbnail string
	// Count is the video's matching segments: all of them (up to
	// CountCap a page), or with Partial those among the newest CountCap.
	Count int
	Hits  []Hit // its best, at most SnippetsPerGroup
}

// Bucket is a value of a facet (a channel, a speaker, a year) with the
// number of matches that have it.
type Bucket struct {
	Value string // the filter's value: a channel id, a name, a year
	Label string // how it reads: the channel's name, the name, the year
	Count int
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
	Capped  bool // there are more than CountCap matches
	// Windowed: Capped, and ranked among the newest RankWindow matches
	// only, as the index cannot find the best of them all (Index.Best);
	// never on a grouped page by relevance, whose cards rank all their
	// videos' matches.
	Windowed bool
	// Unranked: the query's words are in more than half the segments,
	// which BM25 weighs at almost nothing: the newest matches are listed,
	// unscored.
	Unranked bool
	// Ranked counts the best matches ranked, grouped and paged: at most
	// RankCap, or all of them on a grouped page by relevance.
	Ranked int
	// Videos counts the distinct videos with a match: those among the
	// first CountCap matches, and on a grouped page those found for it.
	Videos int
	// VideosMore: more videos than Videos may match (the query matches
	// more than CountCap segments); later grouped pages find them unless
	// Partial.
	VideosMore bool
	// Partial: a grouped page of a query matching more than CountCap
	// segments that lists only the videos the walk met, each counting its
	// matches among the newest CountCap: the page is in another order
	// than relevance, or relaxed.
	Partial bool
	// Repeated counts the matches (within CountCap) in repeated text:
	// sponsor reads, intros and outros said in many videos.
	Repeated int
	Hits     []Hit
	Groups   []Group // with Grouped: one per video on the page
	Facets   []Facet // the videos with most matches (ignoring the video filter)
	Grouped  bool
	// Relaxed: no line has all the words; these hold most of the
	// meaningful ones, and each Hit says which it lacks.
	Relaxed bool
	// Filter is what narrowed the search: the request's filters and the
	// operators typed in the query.
	Filter Filter
	// Channels, Speakers and Years count the matches (within CountCap) by
	// their video's channel, their speaker and their video's year of
	// publication, most first.
	Channels, Speakers, Years []Bucket
	// Corrections are the misspelt words replaced before searching, and
	// Corrected the query as typed with them replaced.
	Corrections []Correction
	Corrected   string

	groupPages int // pages of videos when grouped
}

// Pages returns the number of pages of hits (or of videos when grouped).
func (r Results) Pages() int {
	if r.Grouped {
		return r.groupPages
	}
	return PageCount(r.Ranked, PerPage)
}

// PageCount is the number of pages of per items that n items fill: the
// one ceiling every pager of the site uses.
func PageCount(n, per int) int { return (n + per - 1) / per }

// badRequest reports a request that cannot be searched.
func badRequest(input, reason string) error {
	return fmt.Errorf("search %q: %w", input, &QueryError{Reason: reason})
}

// maxPage is the deepest page r may ask for: a list of hits ends at
// MaxPage, grouped pages (perhaps, with GroupAuto) go further.
func (r Request) maxPage() int {
	if r.Group == GroupNone {
		return MaxPage
	}
	return MaxGroupPage
}

func (r Request) check() (Query, error) {
	if strings.TrimSpace(r.Query) == "" && r.Narrow.Narrowed() {
		// No words, only filters: every line they allow, listed (Browse).
		if maxPage := r.maxPage(); r.Page < 1 || r.Page > maxPage {
			return Query{}, badRequest(r.Query, fmt.Sprintf("Results go from page 1 to %d.", maxPage))
		}
		return Query{}, nil
	}
	q, err := Parse(r.Query)
	if err != nil {
		return Query{}, fmt.Errorf("search %q: %w", r.Query, err)
	}
	if maxPage := r.maxPage(); r.Page < 1 || r.Page > maxPage {
		return Query{}, badRequest(r.Query, fmt.Sprintf("Results go from page 1 to %d.", maxPage))
	}
	if len(r.Videos) > MaxVideoFilters {
		return Query{}, badRequest(r.Query, fmt.Sprintf("A search can be limited to at most %d videos.", MaxVideoFilters))
	}
	return q, nil
}

// filter is the part of the collection r searches.
func (r Request) filter() Filter {
	f := r.Narrow
	f.Videos, f.Repeat = r.Videos, r.Repeat
	return f
}

// withTyped returns r narrowed by the operators typed in q too, the
// speaker's name as the collection writes it.
func (e *Engine) withTyped(ctx context.Context, r Request, q Query) (Request, error) {
	r.Narrow = r.Narrow.merge(q.Filter)
	if r.Narrow.Speaker != "" {
		name, ok, err := e.index.Speaker(ctx, r.Narrow.Speaker)
		if err != nil {
			return r, err
		}
		if ok {
			r.Narrow.Speaker = name
		}
	}
	return r, nil
}

// Search returns a page of hits for r, or of videos when grouped. When
// the query's words together find less than a page, a misspelt word is
// corrected (unless r.Verbatim) and then the words are relaxed: lines
// holding most of them are listed. A request that cannot be searched
// returns an error wrapping ErrBadQuery; one that runs out of time,
// context.DeadlineExceeded.
func (e *Engine) Search(ctx context.Context, r Request) (Results, error) {
	q, err := r.check()
	if err != nil {
		return Results{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	if r, err = e.withTyped(ctx, r, q); err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	p, err := e.forgiving(ctx, q, r)
	if err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	res, err := e.results(ctx, r, p)
	if err != nil {
		return Results{}, e.wrap(ctx, r.Query, err)
	}
	return res, nil
}

// plan is what a search decided to run: the query (as typed or
// corrected), the words its snippets mark, its walks over every video and
// over the filtered ones, and how to rank the filtered one.
type plan struct {
	q, marks    Query
	all, w      walk
	rank        func(limit int) ([]candidate, error)
	byVideo     bool // grouped pages may rank only the videos they show
	relaxed     bool
	corrections []Correction
}

// total is how many lines the plan finds.
func (p plan) total() int { n, _ := p.w.total(); return n }

// forgiving plans q, then, while it finds less than a page and unless
// r.Verbatim, its corrected spelling and its relaxation, keeping whichever
// finds more.
func (e *Engine) forgiving(ctx context.Context, q Query, r Request) (plan, error) {
	p, err := e.strict(ctx, q, r)
	if err != nil || p.total() >= PerPage {
		return p, err
	}
	if r.Verbatim {
		return p, nil
	}
	// The corrected words are relaxed too when they find nothing together:
	// a question with a typo in it is both.
	loose, looseFixes := p.q, []Correction(nil)
	fixed, fixes, err := e.correct(ctx, q)
	if err != nil {
		return plan{}, err
	}
	if len(fixes) > 0 {
		corrected, err := e.strict(ctx, fixed, r)
		if err != nil {
			return plan{}, err
		}
		if corrected.total() > p.total() {
			corrected.corrections = fixes
			p = corrected
		}
		loose, looseFixes = fixed, fixes
	}
	if p.total() >= PerPage || !loose.relaxable() {
		return p, nil
	}
	relaxed, err := e.relaxed(ctx, loose, r)
	if err != nil {
		return plan{}, err
	}
	if relaxed.total() > p.total() {
		relaxed.corrections = looseFixes
		p = relaxed
	}
	return p, nil
}

// strict plans q as typed: every word required.
func (e *Engine) strict(ctx context.Context, q Query, r Request) (plan, error) {
	everywhere := Filter{}
	if q.Browse() {
		everywhere = r.Narrow // listing lines needs something to list them by
	}
	all, err := e.walk(ctx, q, everywhere)
	if err != nil {
		return plan{}, err
	}
	w := all
	if len(r.Videos) > 0 || r.Repeat != 0 || r.Narrow.Narrowed() {
		if w, err = e.walk(ctx, q, r.filter()); err != nil {
			return plan{}, err
		}
	}
	rank := func(limit int) ([]candidate, error) { return e.rank(ctx, q, r.filter(), w, limit) }
	return plan{q: q, marks: q, all: all, w: w, rank: rank, byVideo: true}, nil
}

// relaxed plans the lines holding most of q's meaningful words.
func (e *Engine) relaxed(ctx context.Context, q Query, r Request) (plan, error) {
	all, err := e.relax(ctx, q, Filter{})
	if err != nil {
		return plan{}, err
	}
	rx := all
	if len(r.Videos) > 0 || r.Repeat != 0 || r.Narrow.Narrowed() {
		if rx, err = e.relax(ctx, q, r.filter()); err != nil {
			return plan{}, err
		}
	}
	rank := func(limit int) ([]candidate, error) { return e.rankRelaxed(ctx, rx, limit) }
	return plan{q: q, marks: rx.any, all: all.walk, w: rx.walk, rank: rank, relaxed: true}, nil
}

// results makes the page r asks for of what a plan finds.
func (e *Engine) results(ctx context.Context, r Request, p plan) (Results, error) {
	all, w := p.all, p.w
	res := Results{Query: p.q, Request: r, Facets: facets(all, 10), Relaxed: p.relaxed, Corrections: p.corrections, Filter: r.filter()}
	if len(p.corrections) > 0 {
		res.Corrected = applyCorrections(r.Query, p.corrections)
	}
	res.Total, res.Capped = w.total()
	res.Unranked = w.ubiquitous && !w.best
	res.Windowed = res.Capped && !w.ubiquitous && !w.best
	res.Ranked = min(res.Total, RankCap)
	res.Videos = w.videos()
	res.VideosMore = w.capped()
	res.Repeated = w.repeated
	res.Grouped = r.Group == GroupVideos || (r.Group == GroupAuto && res.Total > PerPage && res.Videos > 1)
	var cs []candidate // the page's, in order
	var groupOf []int  // for a grouped page, the group of each of cs
	switch {
	case res.Grouped && p.byVideo && (r.Sort == Relevance || !w.capped()):
		// A grouped page needs no collection-wide ranking: the matches of
		// the videos it shows are ranked. Every matching video is
		// reachable: those the walk met in groupOrder (or, sorted, in the
		// sort's order: the walk then met them all), then, when it
		// stopped counting, the older ones, newest first, found as far
		// as this page and the next need.
		videos, err := e.sortedVideos(ctx, groupOrder(w), r.Sort)
		if err != nil {
			return Results{}, err
		}
		// Every match of each video it shows is ranked: the count of the
		// best ranked says nothing here, and no window bounds what is
		// shown.
		res.Ranked = res.Total
		res.Windowed = false
		if w.capped() {
			need := r.Page*GroupsPerPage + 1 - len(videos)
			res.VideosMore = true
			if need > 0 {
				more, err := e.index.MoreVideos(ctx, p.q, r.filter(), w.lowest(), set(videos), need)
				if err != nil {
					return Results{}, err
				}
				videos = append(videos, more...)
				res.VideosMore = len(more) == need
			}
			res.Videos = len(videos)
		}
		res.groupPages = PageCount(len(videos), GroupsPerPage)
		shown := pageOf(videos, r.Page, GroupsPerPage)
		best, counts, err := e.bestOfVideos(ctx, p.q, w, r.filter(), shown, SnippetsPerGroup)
		if err != nil {
			return Results{}, err
		}
		if r.Sort == Time { // each video's best, in the order spoken
			for id, cs := range best {
				if err := e.prepareOrder(ctx, cs, Time); err != nil {
					return Results{}, err
				}
				slices.SortFunc(cs, func(a, b candidate) int { return a.start - b.start })
				best[id] = cs
			}
		}
		for _, id := range shown {
			if len(best[id]) > 0 {
				res.Groups = append(res.Groups, Group{VideoID: id, Count: max(1, counts[id])})
				for _, c := range best[id] {
					cs, groupOf = append(cs, c), append(groupOf, len(res.Groups)-1)
				}
			}
		}
	default:
		fold := r.Sort == Relevance && r.Repeat == 0 && w.repeated > 0
		limit := RankCap
		if !res.Grouped && r.Sort == Relevance && len(w.titled) == 0 && !fold {
			limit = min(RankCap, r.Page*PerPage) // a page needs only those up to it
		}
		ranked, err := p.rank(limit)
		if err != nil {
			return Results{}, err
		}
		if err := e.prepareOrder(ctx, ranked, r.Sort); err != nil {
			return Results{}, err
		}
		order(ranked, r.Sort)
		if !res.Grouped {
			if fold {
				// The copies of one read are one hit, so repeated text
				// does not fill the pages after the conversation.
				ranked = collapse(ranked)
				res.Ranked = min(res.Ranked, len(ranked))
			}
			cs = pageOf(ranked, r.Page, PerPage)
			break
		}
		// The videos of the ranked matches, each counted by the walk.
		res.Partial = w.capped()
		gs := groups(ranked)
		res.groupPages = PageCount(len(gs), GroupsPerPage)
		for _, g := range pageOf(gs, r.Page, GroupsPerPage) {
			res.Groups = append(res.Groups, Group{VideoID: g[0].video, Count: max(1, w.perVideo[g[0].video])})
			for _, c := range g[:min(len(g), SnippetsPerGroup)] {
				cs, groupOf = append(cs, c), append(groupOf, len(res.Groups)-1)
			}
		}
	}
	hits, err := e.describe(ctx, p.marks, cs)
	if err != nil {
		return Results{}, err
	}
	if !res.Grouped {
		res.Hits = hits
	}
	for i, h := range hits {
		if res.Grouped {
			g := &res.Groups[groupOf[i]]
			g.Hits = append(g.Hits, h)
			g.Title, g.Thumbnail = h.Title, h.Thumbnail
		}
	}
	// The facets name the videos and always include the filtered ones, so
	// each filter can be lifted where it is shown.
	for _, id := range r.Videos {
		if !slices.ContainsFunc(res.Facets, func(f Facet) bool { return f.VideoID == id }) {
			res.Facets = append(res.Facets, Facet{VideoID: id, Count: all.perVideo[id]})
		}
	}
	if err := e.nameFacets(ctx, res.Facets); err != nil {
		return Results{}, err
	}
	if err := e.buckets(ctx, &res, w); err != nil {
		return Results{}, err
	}
	return res, nil
}

// nameFacets fills in the title of each facet's video.
func (e *Engine) nameFacets(ctx context.Context, fs []Facet) error {
	if len(fs) == 0 {
		return nil
	}
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.VideoID
	}
	vs, err := e.index.Videos(ctx, ids)
	if err != nil {
		return err
	}
	for _, v := range vs {
		for i := range fs {
			if fs[i].VideoID == v.ID {
				fs[i].Title = v.Title
			}
		}
	}
	return nil
}

// Each calls fn with up to limit hits of r (r.Page is ignored) in order,
// for exports and feeds: the same hits, corrected or relaxed, as the
// pages of r. An error from fn stops the iteration and is returned.
func (e *Engine) Each(ctx context.Context, r Request, limit int, fn func(Hit) error) error {
	r.Page = 1
	q, err := r.check()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	if r, err = e.withTyped(ctx, r, q); err != nil {
		return e.wrap(ctx, r.Query, err)
	}
	p, err := e.forgiving(ctx, q, r)
	if err != nil {
		return e.wrap(ctx, r.Query, err)
	}
	ranked, err := p.rank(RankCap)
	if err != nil {
		return e.wrap(ctx, r.Query, err)
	}
	if err := e.prepareOrder(ctx, ranked, r.Sort); err != nil {
		return e.wrap(ctx, r.Query, err)
	}
	order(ranked, r.Sort)
	ranked = ranked[:min(len(ranked), limit)]
	// Snippets are built a batch at a time, so a long export streams.
	for batch := range slices.Chunk(ranked, 200) {
		hits, err := e.describe(ctx, p.marks, batch)
		if err != nil {
			return e.wrap(ctx, r.Query, err)
		}
		for _, h := range hits {
			if err := fn(h); err != nil {
				return err
			}
		}
	}
	return nil
}

// pageOf returns the page'th page (from 1) of per items of s.
func pageOf[T any](s []T, page, per int) []T {
	from := min(len(s), (page-1)*per)
	return s[from:min(len(s), from+per)]
}

// wrap adds context to an error of the index. A deadline is reported as
// such (SQLite reports an interrupt).
func (e *Engine) wrap(ctx context.Context, input string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("search %q: %w", input, ctxErr)
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
