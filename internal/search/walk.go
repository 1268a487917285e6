package search

import (
	"context"
	"time"
)

// walk is what a search learns from its matches before ranking any: how
// many there are, which videos they are in, and where ranking must stop.
type walk struct {
	matches  int            // segments whose text matches, counted up to CountCap+1
	postings []Posting      // the counted matches, newest first
	perVideo map[string]int // of the counted matches
	repeated int            // of the counted matches, those in repeated text
	order    []string       // videos in the order first met (newest match first)
	bound    int64          // lowest segment id ranked when matches > CountCap, else 0
	countCap int            // CountCap, as the walk read it (0: CountCap)
	// best: the matches are more than CountCap and the index can rank
	// them all by their best (Index.Best): neither bound nor ubiquitous
	// then limits ranking.
	best bool
	// took is what reading the matches cost: about what another pass over
	// them costs. It only chooses between two ways of reading the same
	// rows, never what a page shows.
	took time.Duration
	// ubiquitous: the query's words are in more than half the segments,
	// where BM25 gives a word almost no weight (its IDF is clamped to
	// 1e-6: only how often a line repeats it orders the lines) and
	// scoring would first count its every match: its newest matches are
	// listed unscored.
	ubiquitous bool
	titled     []string // videos whose title matches, best first
	titles     map[string]float64
	// near holds the matches (among the newest CountCap) whose words
	// stand together, for a query of several words.
	near map[int64]bool
}

// total returns the number of matches to show and whether it is capped.
func (w walk) total() (int, bool) {
	n := w.matches
	for _, id := range w.titled {
		if w.perVideo[id] == 0 {
			n++ // found by its title alone
		}
	}
	return min(n, w.limit()), w.capped()
}

// limit is the most matches the walk counts.
func (w walk) limit() int {
	if w.countCap == 0 {
		return CountCap
	}
	return w.countCap
}

// lowest is the oldest match the walk read: with capped, older videos
// may match too.
func (w walk) lowest() int64 {
	if len(w.postings) == 0 {
		return 0
	}
	return w.postings[len(w.postings)-1].Segment
}

// capped reports whether the walk stopped counting: the query matches
// more segments (and videos, perhaps) than it read.
func (w walk) capped() bool { return w.matches > w.limit() }

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

// walk reads the matches newest first, without scoring them (as cheap as
// counting), up to CountCap+1: their number, their videos and, for a
// query matching more than CountCap segments, the lowest id of the newest
// RankWindow, below which ranking does not go. It also finds the videos
// whose title matches.
func (e *Engine) walk(ctx context.Context, q Query, f Filter) (walk, error) {
	w := walk{perVideo: map[string]int{}, titles: map[string]float64{}, countCap: e.countCap}
	began := time.Now()
	var ps []Posting
	var err error
	if q.Browse() {
		ps, err = e.index.Lines(ctx, f, e.countCap+1)
	} else {
		ps, err = e.index.Matches(ctx, q, f, e.countCap+1)
	}
	if err != nil {
		return w, err
	}
	w.took = time.Since(began)
	w.matches = len(ps)
	if len(ps) > e.countCap {
		ps = ps[:e.countCap]
		w.bound = ps[e.rankWindow-1].Segment
		// The newest matches are denser than one segment in two: the
		// words are that common (estimated from the newest imports).
		// Not for alternatives, one of which may be rare.
		span := ps[0].Segment - ps[e.countCap-1].Segment + 1
		w.ubiquitous = !q.hasAlternatives() && span < 2*int64(e.countCap)
		if w.best, err = e.canBest(ctx, q, f); err != nil {
			return w, err
		}
	}
	if q.Browse() {
		// Nothing to score: lines are listed, newest first.
		w.ubiquitous = true
	}
	w.postings = ps
	for _, p := range ps {
		if w.perVideo[p.Video] == 0 {
			w.order = append(w.order, p.Video)
		}
		w.perVideo[p.Video]++
		if p.Repeat != 0 {
			w.repeated++
		}
	}
	if nq, ok := q.near(); ok && w.matches > 0 && !w.ubiquitous {
		ps, err := e.index.Matches(ctx, nq, f, e.countCap)
		if err != nil {
			return w, err
		}
		w.near = make(map[int64]bool, len(ps))
		for _, p := range ps {
			w.near[p.Segment] = true
		}
	}
	if q.Browse() {
		return w, nil
	}
	titled, err := e.index.TitleMatches(ctx, q, f, maxTitleMatches)
	if err != nil {
		return w, err
	}
	for _, t := range titled {
		w.titles[t.Video] = t.Score
		w.titled = append(w.titled, t.Video)
	}
	return w, nil
}

// near returns q with its words required to stand together: within a few
// words of each other for each word beyond the first. Only a query of
// several groups of one term each has such a form.
func (q Query) near() (Query, bool) {
	if len(q.Groups) < 2 || q.Near > 0 {
		return Query{}, false
	}
	for _, g := range q.Groups {
		if len(g) != 1 {
			return Query{}, false
		}
	}
	nq := q
	nq.Near = nearWords * (len(q.Groups) - 1)
	return nq, true
}

// nearWords is how many other words may stand between two of a query's
// words for them to count as together.
const nearWords = 4

// set returns the members of ids as a set.
func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
