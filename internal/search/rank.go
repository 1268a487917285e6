package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// candidate is a match on its way to a page: what ranking and ordering
// know of it before it is described as a Hit.
type candidate struct {
	id         int64
	video      string
	score      float64 // lower is better
	titleMatch bool    // the video's title matches too
	titleOnly  bool    // found by its video's title: its own words need not match
	marked     string  // its text with the matches marked, when already read
	start      int     // when ordering by time
	importedAt time.Time
	published  string // when ordering by publication: YYYY-MM-DD or ""
	// tier ranks above score: in relaxed results the number of words a
	// line holds, in others 1 for a line whose words stand together.
	tier    int
	missing []string // in relaxed results, the words the line lacks
	// repeat is the cluster of repeated text the line belongs to (a
	// sponsor read, an intro), 0 for conversation; copies counts the
	// other videos whose copy of it a page folded into this one.
	repeat int64
	copies int
}

// boost adds the title score of c's video, when its title matches.
func (c *candidate) boost(w walk) {
	if ts, ok := w.titles[c.video]; ok {
		c.titleMatch = true
		c.score += TitleWeight * ts
	}
}

// unscored is match p as a candidate with no score of its own.
func (w walk) unscored(p Posting) candidate {
	c := candidate{id: p.Segment, video: p.Video, repeat: p.Repeat}
	c.boost(w)
	return c
}

// scored is scored match s as a candidate, in the words-together tier
// when the walk found it there.
func (w walk) scored(s Scored) candidate {
	c := candidate{id: s.Segment, video: s.Video, score: s.Score, marked: s.Marked, repeat: s.Repeat}
	c.boost(w)
	if w.near[s.Segment] {
		c.tier = 1
	}
	return c
}

// rank returns the best limit matches by BM25 over the text (above the
// walk's bound), each boosted by its video's title score when the title
// matches too, plus, for each video found by its title alone, its first
// segment. Below CountCap matches, the order is FTS5's own over every
// match; above it, by the index's best matches (rankBest), or when the
// index has none, among the newest RankWindow. A ubiquitous query's newest
// matches are then listed unscored.
func (e *Engine) rank(ctx context.Context, q Query, f Filter, w walk, limit int) ([]candidate, error) {
	if w.best {
		return e.rankBest(ctx, q, f, w, limit)
	}
	if w.ubiquitous {
		return e.newest(ctx, w, limit)
	}
	scored, err := e.index.Score(ctx, q, f, w.bound)
	if err != nil {
		return nil, err
	}
	all := make([]candidate, len(scored))
	for i, s := range scored {
		all[i] = candidate{id: s.Segment, video: s.Video, score: s.Score, repeat: s.Repeat}
		// A title match lifts its video's lines before the best are
		// chosen, wherever their words alone would rank them.
		all[i].boost(w)
		if w.near[s.Segment] {
			all[i].tier = 1
		}
	}
	slices.SortFunc(all, byScore)
	return e.titleOnly(ctx, w, w.titled, all[:min(len(all), limit)])
}

// byScore orders candidates best first: conversation before repeated
// text, then the higher tier, then the better score; ties break on the
// segment id, the newest first, so every order is stable across requests.
func byScore(a, b candidate) int {
	if ra, rb := a.repeat != 0, b.repeat != 0; ra != rb {
		if rb {
			return -1
		}
		return 1
	}
	if a.tier != b.tier {
		return b.tier - a.tier
	}
	if c := cmp.Compare(a.score, b.score); c != 0 {
		return c
	}
	return cmp.Compare(b.id, a.id)
}

// newest returns the newest limit matches, unscored (ties, listed newest
// first), boosted by their video's title score, plus each video found by
// its title alone.
func (e *Engine) newest(ctx context.Context, w walk, limit int) ([]candidate, error) {
	var cs []candidate
	for _, p := range w.postings[:min(len(w.postings), limit)] {
		cs = append(cs, w.unscored(p))
	}
	return e.titleOnly(ctx, w, w.titled, cs)
}

// titleOnly adds to cs the first segment of each of videos that is found
// by its title alone.
func (e *Engine) titleOnly(ctx context.Context, w walk, videos []string, cs []candidate) ([]candidate, error) {
	for _, id := range videos {
		if _, titled := w.titles[id]; !titled || w.perVideo[id] > 0 {
			continue
		}
		s, ok, err := e.index.FirstSegment(ctx, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // a video without segments
		}
		c := candidate{id: s.ID, video: id, titleOnly: true, start: s.Start}
		c.boost(w)
		cs = append(cs, c)
	}
	return cs, nil
}

// highlightCost is what highlighting one segment of 360–490 characters
// costs through this driver (about 60 µs, measured at 1M segments).
const highlightCost = 60 * time.Microsecond

// bestOfVideos ranks the matches of some videos, known from the walk, in
// one pass and returns each video's best n and its number of matches; a
// video found by its title alone gives its first segment. The pass reads
// the query's matches between the lowest and highest of them (at most
// CountCap) but scores only theirs: a grouped page of a word said ten
// thousand times scores the few dozen said in the videos it shows. A
// ubiquitous query's videos show their newest matches, unscored, unless
// the index has its best (then, as for every query matching more than
// CountCap segments, every match of the videos is ranked and counted).
// Past CountCap, every match of the videos the walk has not seen whole
// is read from the index and counted.
func (e *Engine) bestOfVideos(ctx context.Context, q Query, w walk, f Filter, videos []string, n int) (map[string][]candidate, map[string]int, error) {
	perVideo := map[string]int{}
	best := map[string][]candidate{}
	switch {
	case w.best:
		// More than CountCap matches: every match of these videos, by
		// the index's best, which also counts them.
		var err error
		if best, err = e.bestInVideos(ctx, q, w, videos); err != nil {
			return nil, nil, err
		}
	case w.capped():
		// The walk holds only the newest CountCap matches: the videos it
		// has not seen whole are read from the index, every match (for
		// a prefix, that costs expanding it again).
		older, err := e.index.VideosBelow(ctx, videos, w.lowest())
		if err != nil {
			return nil, nil, err
		}
		var walked, rest []string
		for _, v := range videos {
			if older[v] {
				rest = append(rest, v)
			} else {
				walked = append(walked, v)
			}
		}
		if err := e.rankWalked(ctx, q, w, set(walked), n, best, perVideo); err != nil {
			return nil, nil, err
		}
		if err := e.inVideos(ctx, q, w, f, rest, n, best, perVideo); err != nil {
			return nil, nil, err
		}
	default:
		if err := e.rankWalked(ctx, q, w, set(videos), n, best, perVideo); err != nil {
			return nil, nil, err
		}
	}
	if w.best {
		for v, cs := range best {
			perVideo[v] = len(cs)
		}
	}
	for v, cs := range best {
		slices.SortFunc(cs, byScore)
		best[v] = cs[:min(n, len(cs))]
	}
	firsts, err := e.titleOnly(ctx, w, videos, nil)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range firsts {
		best[c.video] = []candidate{c}
	}
	return best, perVideo, nil
}

// inVideos reads every match of videos passing f into best, counting
// them in perVideo: a ubiquitous query's newest n unscored (BM25 weighs
// its words at almost nothing, and FTS5 would count every match in the
// collection to weigh them), as a browse's lines, any other's scored.
func (e *Engine) inVideos(ctx context.Context, q Query, w walk, f Filter, videos []string, n int, best map[string][]candidate, perVideo map[string]int) error {
	if len(videos) == 0 {
		return nil
	}
	f.Videos = videos
	if w.ubiquitous { // a browse's walk is too
		var ps []Posting
		var err error
		if q.Browse() {
			ps, err = e.index.Lines(ctx, f, CountCap)
		} else {
			ps, err = e.index.Matches(ctx, q, f, CountCap)
		}
		if err != nil {
			return err
		}
		for _, p := range ps {
			perVideo[p.Video]++
			if len(best[p.Video]) < n {
				best[p.Video] = append(best[p.Video], w.unscored(p))
			}
		}
		return nil
	}
	scored, err := e.index.Score(ctx, q, f, 0)
	if err != nil {
		return err
	}
	for _, s := range scored {
		perVideo[s.Video]++
		best[s.Video] = append(best[s.Video], w.scored(s))
	}
	return nil
}

// rankWalked ranks the walk's matches in the shown videos into best,
// counting them in perVideo: a ubiquitous query's newest n unscored, any
// other's scored.
func (e *Engine) rankWalked(ctx context.Context, q Query, w walk, shown map[string]bool, n int, best map[string][]candidate, perVideo map[string]int) error {
	var ids []int64
	for _, p := range w.postings {
		if !shown[p.Video] {
			continue
		}
		ids = append(ids, p.Segment)
		perVideo[p.Video]++
		if w.ubiquitous && len(best[p.Video]) < n {
			best[p.Video] = append(best[p.Video], w.unscored(p))
		}
	}
	if len(ids) == 0 || w.ubiquitous {
		return nil
	}
	// Each candidate is highlighted in this pass when highlighting the
	// ones not shown costs less than a second pass for the shown ones,
	// estimated by the walk's own read of the matches: 0.2 ms for a rare
	// word, over 100 ms for a phrase of common words, which must check
	// every segment holding both. Either way the page is the same.
	unshown := len(ids)
	for _, c := range perVideo {
		unshown -= min(n, c)
	}
	mark := time.Duration(unshown)*highlightCost <= w.took
	scored, err := e.index.ScoreSegments(ctx, q, ids, mark)
	if err != nil {
		return err
	}
	for _, s := range scored {
		best[s.Video] = append(best[s.Video], w.scored(s))
	}
	return nil
}

// sortedVideos orders videos (in groupOrder) for a grouped page sorted by
// import or publication (undated last), keeping groupOrder among equals.
// Time keeps groupOrder: the videos by their matches, each video's hits
// in the order spoken.
func (e *Engine) sortedVideos(ctx context.Context, videos []string, sort Sort) ([]string, error) {
	if sort != Imported && sort != Newest && sort != Oldest || len(videos) < 2 {
		return videos, nil
	}
	vs, err := e.index.Videos(ctx, videos)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Video, len(vs))
	for _, v := range vs {
		byID[v.ID] = v
	}
	out := slices.Clone(videos)
	slices.SortStableFunc(out, func(a, b string) int {
		va, vb := byID[a], byID[b]
		if sort == Imported {
			return vb.ImportedAt.Compare(va.ImportedAt)
		}
		if (va.Published == "") != (vb.Published == "") {
			if va.Published == "" {
				return 1
			}
			return -1
		}
		if sort == Newest {
			return strings.Compare(vb.Published, va.Published)
		}
		return strings.Compare(va.Published, vb.Published)
	})
	return out, nil
}

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

// prepareOrder reads what ordering candidates by time or import needs.
func (e *Engine) prepareOrder(ctx context.Context, cs []candidate, sort Sort) error {
	switch sort {
	case Time:
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.id
		}
		segs, err := e.index.Segments(ctx, ids)
		if err != nil {
			return err
		}
		start := make(map[int64]int, len(segs))
		for _, s := range segs {
			start[s.ID] = s.Start
		}
		for i := range cs {
			cs[i].start = start[cs[i].id]
		}
	case Imported, Newest, Oldest:
		var ids []string
		seen := map[string]bool{}
		for _, c := range cs {
			if !seen[c.video] {
				seen[c.video] = true
				ids = append(ids, c.video)
			}
		}
		vs, err := e.index.Videos(ctx, ids)
		if err != nil {
			return err
		}
		byID := make(map[string]Video, len(vs))
		for _, v := range vs {
			byID[v.ID] = v
		}
		for i := range cs {
			v := byID[cs[i].video]
			cs[i].importedAt, cs[i].published = v.ImportedAt, v.Published
		}
	}
	return nil
}

// order sorts candidates by relevance (best first), by time (video by
// video in the order of their best hit, then as spoken) or newest first.
func order(cs []candidate, sort Sort) {
	switch sort {
	case Time:
		best := map[string]int{} // video → rank of its best hit
		slices.SortFunc(cs, byScore)
		for i, c := range cs {
			if _, ok := best[c.video]; !ok {
				best[c.video] = i
			}
		}
		slices.SortStableFunc(cs, func(a, b candidate) int {
			if best[a.video] != best[b.video] {
				return best[a.video] - best[b.video]
			}
			return a.start - b.start
		})
	case Imported:
		slices.SortFunc(cs, func(a, b candidate) int {
			if c := b.importedAt.Compare(a.importedAt); c != 0 {
				return c
			}
			return byScore(a, b)
		})
	case Newest, Oldest:
		slices.SortFunc(cs, func(a, b candidate) int {
			if (a.published == "") != (b.published == "") {
				if a.published == "" {
					return 1 // undated last
				}
				return -1
			}
			c := strings.Compare(a.published, b.published)
			if sort == Newest {
				c = -c
			}
			if c != 0 {
				return c
			}
			return byScore(a, b)
		})
	default:
		slices.SortFunc(cs, byScore)
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

// groups gathers ordered candidates by video, in the order of each
// video's best.
func groups(cs []candidate) [][]candidate {
	idx := map[string]int{}
	var gs [][]candidate
	for _, c := range cs {
		i, ok := idx[c.video]
		if !ok {
			i = len(gs)
			idx[c.video] = i
			gs = append(gs, nil)
		}
		gs[i] = append(gs[i], c)
	}
	return gs
}

// collapse keeps the first of each repeated text's copies (the cs are in
// order), counting in it the other videos whose copies it stands for.
func collapse(cs []candidate) []candidate {
	first := map[int64]int{}              // cluster → its place in out
	videos := map[int64]map[string]bool{} // cluster → the videos of its copies
	out := cs[:0:0]
	for _, c := range cs {
		if c.repeat == 0 {
			out = append(out, c)
			continue
		}
		i, seen := first[c.repeat]
		if !seen {
			first[c.repeat] = len(out)
			videos[c.repeat] = map[string]bool{c.video: true}
			out = append(out, c)
			continue
		}
		if !videos[c.repeat][c.video] {
			videos[c.repeat][c.video] = true
			out[i].copies++
		}
	}
	return out
}
