package relevance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// How known-item success is judged (issue 12).
const (
	// Window is how close, in seconds, a hit's start must be to the
	// target's, in the same video, to count as finding it.
	Window = 45
	// Depth is how many hits are looked at: two pages of 20.
	Depth = 40
	// TopN is how many hits the repeated-text share looks at (issue 13).
	TopN = 10
)

// Hit is the part of a search hit the measures need.
type Hit struct {
	VideoID string
	Start   int
}

// SearchFunc runs query and returns its first limit hits, best first,
// ungrouped. A query the engine refuses is no hits, not an error.
type SearchFunc func(ctx context.Context, query string, limit int) ([]Hit, error)

// Rank returns the position (from 1) of the first of hits within Window
// seconds of target in its video, among the first Depth, or 0.
func Rank(hits []Hit, target Segment) int {
	for i, h := range hits[:min(len(hits), Depth)] {
		if h.VideoID == target.VideoID && abs(h.Start-target.Start) <= Window {
			return i + 1
		}
	}
	return 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Outcome is one known-item query and where its target came.
type Outcome struct {
	Item  KnownItem
	Shape Shape
	Query string
	Rank  int // 0: not among the first Depth
}

// Score sums the outcomes of one shape.
type Score struct {
	Shape   Shape
	Queries int
	MRR     float64 // mean of 1/rank, 0 for a miss
	Found   int     // targets among the first Depth
	First   int     // targets ranked first
}

// RunKnownItems searches every query of items.
func RunKnownItems(ctx context.Context, search SearchFunc, items []KnownItem) ([]Outcome, error) {
	var out []Outcome
	for _, it := range items {
		for _, sh := range Shapes {
			q := it.Queries[sh]
			hits, err := search(ctx, q, Depth)
			if err != nil {
				return nil, fmt.Errorf("relevance: search %q: %w", q, err)
			}
			out = append(out, Outcome{Item: it, Shape: sh, Query: q, Rank: Rank(hits, it.Target)})
		}
	}
	return out, nil
}

// Scores returns the score of each shape, in the order of Shapes.
func Scores(outcomes []Outcome) []Score {
	var scores []Score
	for _, sh := range Shapes {
		s := Score{Shape: sh}
		for _, o := range outcomes {
			if o.Shape != sh {
				continue
			}
			s.Queries++
			if o.Rank > 0 {
				s.Found++
				s.MRR += 1 / float64(o.Rank)
			}
			if o.Rank == 1 {
				s.First++
			}
		}
		if s.Queries > 0 {
			s.MRR /= float64(s.Queries)
		}
		scores = append(scores, s)
	}
	return scores
}

// SharedWord is a word said both in repeated text and in conversation,
// with the number of segments of each that say it.
type SharedWord struct {
	Word         string
	Repeated     int
	Conversation int
}

// SharedWords returns the n words most shared between c's repeated text
// and its conversation: candidate words (four letters or more, not
// stopwords) said in at least minConversation segments of conversation,
// so that a first page of conversation exists, ordered by the lesser of
// their two counts.
func SharedWords(c Corpus, n, minConversation int) []SharedWord {
	counts := map[string]*SharedWord{}
	for _, s := range c {
		seen := map[string]bool{}
		for _, w := range tokens(s.Text) {
			if !candidate(w) || seen[w] {
				continue
			}
			seen[w] = true
			sw := counts[w]
			if sw == nil {
				sw = &SharedWord{Word: w}
				counts[w] = sw
			}
			if s.Kind.Repeated() {
				sw.Repeated++
			} else {
				sw.Conversation++
			}
		}
	}
	var out []SharedWord
	for _, sw := range counts {
		if sw.Repeated > 0 && sw.Conversation >= minConversation {
			out = append(out, *sw)
		}
	}
	slices.SortFunc(out, func(a, b SharedWord) int {
		return cmp.Or(cmp.Compare(min(b.Repeated, b.Conversation), min(a.Repeated, a.Conversation)), strings.Compare(a.Word, b.Word))
	})
	return out[:min(n, len(out))]
}

// WordShare is how much of a shared word's first hits are repeated text.
type WordShare struct {
	SharedWord
	Hits         int // among the first TopN
	RepeatedHits int
}

// Share is the fraction of the word's first hits that are repeated text.
func (w WordShare) Share() float64 {
	if w.Hits == 0 {
		return 0
	}
	return float64(w.RepeatedHits) / float64(w.Hits)
}

// RunShared searches each word and judges its first TopN hits by c's
// ground truth. A hit c does not know is an error: the search and the
// corpus disagree.
func RunShared(ctx context.Context, search SearchFunc, c Corpus, words []SharedWord) ([]WordShare, error) {
	idx := c.index()
	var out []WordShare
	for _, w := range words {
		hits, err := search(ctx, w.Word, TopN)
		if err != nil {
			return nil, fmt.Errorf("relevance: search %q: %w", w.Word, err)
		}
		ws := WordShare{SharedWord: w}
		for _, h := range hits[:min(len(hits), TopN)] {
			i, ok := idx[key{h.VideoID, h.Start}]
			if !ok {
				return nil, fmt.Errorf("relevance: search %q: hit %s@%d is not in the corpus", w.Word, h.VideoID, h.Start)
			}
			ws.Hits++
			if c[i].Kind.Repeated() {
				ws.RepeatedHits++
			}
		}
		out = append(out, ws)
	}
	return out, nil
}

// PooledShare is the fraction of all the words' first hits that are
// repeated text (issue 13's "39 % of the top 10 hits").
func PooledShare(ws []WordShare) float64 {
	var hits, rep int
	for _, w := range ws {
		hits += w.Hits
		rep += w.RepeatedHits
	}
	if hits == 0 {
		return 0
	}
	return float64(rep) / float64(hits)
}

// HalfOrMore counts the words whose first hits are at least half
// repeated text.
func HalfOrMore(ws []WordShare) int {
	n := 0
	for _, w := range ws {
		if w.Hits > 0 && 2*w.RepeatedHits >= w.Hits {
			n++
		}
	}
	return n
}

// OnTopic counts the hits among the first TopN that are conversation on
// topic, by c's ground truth.
func OnTopic(c Corpus, hits []Hit, topic string) int {
	idx := c.index()
	n := 0
	for _, h := range hits[:min(len(hits), TopN)] {
		if i, ok := idx[key{h.VideoID, h.Start}]; ok && c[i].Kind == Conversation && c[i].Topic == topic {
			n++
		}
	}
	return n
}
