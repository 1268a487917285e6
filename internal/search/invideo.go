package search

import (
	"context"
	"fmt"
)

// VideoMatch is a segment of one video that matches a query, with its
// whole text highlighted.
type VideoMatch struct {
	SegmentID int64
	Start     int
	End       int
	Moment    int
	Text      []Fragment
}

// InVideo returns every segment of a video that matches input, in time
// order, for highlighting the transcript page.
func (e *Engine) InVideo(ctx context.Context, videoID, input string) ([]VideoMatch, error) {
	q, err := Parse(input)
	if err != nil {
		return nil, fmt.Errorf("search %q in %s: %w", input, videoID, err)
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	segs, err := e.index.InVideo(ctx, videoID, q)
	if err != nil {
		return nil, e.wrap(ctx, input, err)
	}
	ms := make([]VideoMatch, len(segs))
	for i, s := range segs {
		ms[i] = VideoMatch{
			SegmentID: s.ID, Start: s.Start, End: s.End,
			Text:   fragments(s.Marked),
			Moment: moment(Hit{Start: s.Start, End: s.End, Text: s.Text}, s.Marked),
		}
	}
	return ms, nil
}
