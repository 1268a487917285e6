package search

import "time"

// NewWithCaps returns an Engine whose CountCap and RankWindow are
// countCap and rankWindow, so a small collection takes the path of
// frequent words.
func NewWithCaps(index Index, timeout time.Duration, countCap, rankWindow int) *Engine {
	e := New(index, timeout)
	e.countCap, e.rankWindow = countCap, rankWindow
	return e
}
