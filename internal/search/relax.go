package search

import (
	"context"
	"slices"
	"strings"
)

// Relaxation. A question ("what did they say about retention and
// onboarding") or a half-remembered line rarely has every word in one
// segment. When the words together find less than a page, lines are
// ranked by how many of the query's meaningful words they hold, then by
// BM25: words that carry no meaning in speech (stopWords) are never
// required, a phrase stays exact, alternatives (OR) count as one word and
// excluded words stay excluded.

// maxRelaxedGroups bounds the words relaxation combines: each size of
// subset of them is one MATCH per subset, at most 2^5-1 = 31.
const maxRelaxedGroups = 5

// stopWords are words that carry no meaning in a question about speech:
// function words, the verbs of asking and the fillers of talk.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		a an the and or but if then so as of to in on at by for from with without into onto
		about above after again against all am any are aren't be been before being below between both
		can could did didn't do does doesn't doing done down during each few further had has have having
		he her here hers herself him himself his how i if is isn't it its itself just me more most my
		myself no nor not now off once only other our ours ourselves out over own same she should so some
		such than that that's their theirs them themselves there these they this those through too under
		until up very was wasn't we were what when where which while who whom why will would you your
		yours yourself yourselves
		um uh uhm er erm ah oh hmm mm like yeah yes okay ok well really actually basically literally
		kind sort thing things stuff know mean guess gonna wanna
		say said says saying talk talked talking talks tell told telling mention mentioned mentions
		discuss discussed discussing speak spoke explain explained someone somebody anyone anybody
		part moment bit where's what's who's how's let's let me
		video episode podcast show`) {
		m[w] = true
	}
	return m
}()

// meaningful returns the groups of q that carry meaning: every group but
// a single plain word of the stop list.
func (q Query) meaningful() [][]Term {
	var gs [][]Term
	for _, g := range q.Groups {
		if len(g) == 1 && len(g[0].Words) == 1 && !g[0].Prefix && stopWords[strings.ToLower(g[0].Words[0])] {
			continue
		}
		gs = append(gs, g)
	}
	return gs
}

// relaxable reports whether relaxing q could find more than q: it has
// more than one group, or a stop word to drop.
func (q Query) relaxable() bool {
	m := q.meaningful()
	return len(m) > 0 && (len(m) > 1 || len(m) < len(q.Groups))
}

// groupText is how a group reads in the notice of the words a line lacks.
func groupText(g []Term) string {
	parts := make([]string, len(g))
	for i, t := range g {
		parts[i] = t.String()
	}
	return strings.Join(parts, " OR ")
}

// relaxation is what relaxing a query found: its walk (for counts,
// facets and paging), and for each line the number of meaningful words
// it holds and which it lacks.
type relaxation struct {
	walk    walk
	any     Query           // any of the meaningful words: for scoring and highlighting
	held    map[int64]int   // line → words held
	missing map[int64][]int // line → the groups it lacks
	groups  [][]Term        // the meaningful groups
	tiers   map[int][]int64 // words held → its lines, newest first
}

// relax finds the lines holding most of q's meaningful words within f:
// every subset of them from the largest down, until RankCap lines are
// found or none are left. Each subset's matches are read newest first,
// up to CountCap of them.
func (e *Engine) relax(ctx context.Context, q Query, f Filter) (relaxation, error) {
	groups := q.meaningful()
	if len(groups) > maxRelaxedGroups {
		groups = groups[:maxRelaxedGroups]
	}
	rx := relaxation{
		walk:    walk{perVideo: map[string]int{}, titles: map[string]float64{}},
		held:    map[int64]int{},
		missing: map[int64][]int{},
		groups:  groups,
		tiers:   map[int][]int64{},
	}
	var alts []Term
	for _, g := range groups {
		alts = append(alts, g...)
	}
	rx.any = Query{Groups: [][]Term{alts}, Excluded: q.Excluded}
	var found []Posting
	for size := len(groups); size >= 1 && len(found) < RankCap; size-- {
		for _, subset := range combinations(len(groups), size) {
			sub := Query{Excluded: q.Excluded}
			for _, i := range subset {
				sub.Groups = append(sub.Groups, groups[i])
			}
			ps, err := e.index.Matches(ctx, sub, f, CountCap+1)
			if err != nil {
				return rx, err
			}
			if len(ps) > CountCap {
				ps = ps[:CountCap]
			}
			for _, p := range ps {
				if _, seen := rx.held[p.Segment]; seen {
					continue
				}
				rx.held[p.Segment] = size
				for i := range groups {
					if !slices.Contains(subset, i) {
						rx.missing[p.Segment] = append(rx.missing[p.Segment], i)
					}
				}
				rx.tiers[size] = append(rx.tiers[size], p.Segment)
				found = append(found, p)
				if p.Repeat != 0 {
					rx.walk.repeated++
				}
			}
		}
	}
	// The walk: every line found, newest first, as a strict search's.
	slices.SortFunc(found, func(a, b Posting) int { return int(b.Segment - a.Segment) })
	rx.walk.matches = len(found)
	if len(found) > CountCap {
		found = found[:CountCap]
	}
	rx.walk.postings = found
	for _, p := range found {
		if rx.walk.perVideo[p.Video] == 0 {
			rx.walk.order = append(rx.walk.order, p.Video)
		}
		rx.walk.perVideo[p.Video]++
	}
	for size := range rx.tiers {
		slices.SortFunc(rx.tiers[size], func(a, b int64) int { return int(b - a) })
	}
	return rx, nil
}

// rank returns the best limit lines of a relaxation: those holding more
// words first, then by BM25 over any of the words. A tier is scored among
// its RankWindow newest lines.
func (e *Engine) rankRelaxed(ctx context.Context, rx relaxation, limit int) ([]candidate, error) {
	var out []candidate
	for size := len(rx.groups); size >= 1 && len(out) < limit; size-- {
		ids := rx.tiers[size]
		if len(ids) == 0 {
			continue
		}
		ids = ids[:min(len(ids), RankWindow)]
		scored, err := e.index.ScoreSegments(ctx, rx.any, ids, false)
		if err != nil {
			return nil, err
		}
		tier := make([]candidate, 0, len(scored))
		for _, s := range scored {
			c := candidate{id: s.Segment, video: s.Video, score: s.Score, tier: size, repeat: s.Repeat}
			for _, i := range rx.missing[s.Segment] {
				c.missing = append(c.missing, groupText(rx.groups[i]))
			}
			tier = append(tier, c)
		}
		slices.SortFunc(tier, byScore)
		out = append(out, tier...)
	}
	return out[:min(len(out), limit)], nil
}

// combinations returns every subset of size k of 0..n-1, each in
// increasing order, the subsets in lexicographic order.
func combinations(n, k int) [][]int {
	var out [][]int
	var pick func(start int, cur []int)
	pick = func(start int, cur []int) {
		if len(cur) == k {
			out = append(out, slices.Clone(cur))
			return
		}
		for i := start; i < n; i++ {
			pick(i+1, append(cur, i))
		}
	}
	pick(0, nil)
	return out
}
