package search

import (
	"context"
	"errors"
	"slices"
)

// canBest reports whether the index can give the best matches of q within
// f without scoring them all (Index.Best): not for a prefix, nor while the
// index lacks what it needs.
func (e *Engine) canBest(ctx context.Context, q Query, f Filter) (bool, error) {
	_, err := e.index.Best(ctx, q, f, 0)
	if errors.Is(err, ErrNoBest) {
		return false, nil
	}
	return err == nil, err
}

// rankBest ranks a query matching more than CountCap segments by the
// index's best matches of them all, as rank ranks fewer: boosted by their
// video's title score, the lines whose words stand together first. Every
// match of a video whose title matches is a candidate, since the boost
// may lift any of them. Past the best the index vouches for (deep pages,
// exports), the newest RankWindow matches fill in (the newest, unscored,
// for a ubiquitous query), in the same order.
func (e *Engine) rankBest(ctx context.Context, q Query, f Filter, w walk, limit int) ([]candidate, error) {
	seen := map[int64]bool{}
	var all []candidate
	near := map[int64]bool{}
	add := func(ss []Scored) {
		for _, s := range ss {
			if seen[s.Segment] {
				continue
			}
			seen[s.Segment] = true
			c := candidate{id: s.Segment, video: s.Video, score: s.Score, marked: s.Marked, repeat: s.Repeat}
			c.boost(w)
			if w.near[s.Segment] || near[s.Segment] {
				c.tier = 1
			}
			all = append(all, c)
		}
	}
	if nq, ok := q.near(); ok && !w.ubiquitous {
		// The best lines holding the words together: listed first.
		together, err := e.index.Best(ctx, nq, f, limit)
		if err != nil {
			return nil, err
		}
		for _, s := range together {
			near[s.Segment] = true
		}
		add(together)
	}
	best, err := e.index.Best(ctx, q, f, limit)
	if err != nil {
		return nil, err
	}
	add(best)
	if len(w.titled) > 0 {
		titled, err := e.index.Best(ctx, q, Filter{Videos: w.titled}, limit)
		if err != nil {
			return nil, err
		}
		add(titled)
	}
	if len(best) < limit {
		if w.ubiquitous {
			var newest []Scored
			for _, p := range w.postings[:min(len(w.postings), limit)] {
				newest = append(newest, Scored{Segment: p.Segment, Video: p.Video, Repeat: p.Repeat})
			}
			add(newest)
		} else {
			window, err := e.index.Score(ctx, q, f, w.bound)
			if err != nil {
				return nil, err
			}
			add(window)
		}
	}
	slices.SortFunc(all, byScore)
	return e.titleOnly(ctx, w, w.titled, all[:min(len(all), limit)])
}

// bestInVideos scores every match of videos by the index's best (for a
// grouped page of a query matching more than CountCap segments), marked,
// by video; bestOfVideos keeps the best of each.
func (e *Engine) bestInVideos(ctx context.Context, q Query, w walk, videos []string) (map[string][]candidate, error) {
	best := map[string][]candidate{}
	if len(videos) == 0 {
		return best, nil
	}
	// Every match, to count them: CountCap bounds a page's as it bounds
	// a search's total.
	scored, err := e.index.Best(ctx, q, Filter{Videos: videos}, CountCap)
	if err != nil {
		return nil, err
	}
	for _, s := range scored {
		c := candidate{id: s.Segment, video: s.Video, score: s.Score, marked: s.Marked}
		c.boost(w)
		if w.near[s.Segment] {
			c.tier = 1
		}
		best[s.Video] = append(best[s.Video], c)
	}
	return best, nil
}
