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
	// The video's runs of consecutive ids (kept by the importer) bound the
	// index read: a MATCH within each run, rather than one per segment,
	// which costs a seek into every index segment holding each word
	// (200 ms for a mid-frequency word's 250-segment video at 1M
	// segments). Segments outside any run, written by another tool, are
	// looked up one by one.
	rows, err := e.query(ctx, `
		SELECT s.id, s.start_second, s.end_second, s.text, highlight(segments_fts, 0, ?1, ?2)
		FROM segment_ranges r
			CROSS JOIN segments_fts ON segments_fts.rowid BETWEEN r.first_id AND r.last_id
			CROSS JOIN segments s ON s.id = segments_fts.rowid
		WHERE r.video_id = ?3 AND segments_fts MATCH ?4 AND s.video_id = ?3
		UNION ALL
		SELECT s.id, s.start_second, s.end_second, s.text, highlight(segments_fts, 0, ?1, ?2)
		FROM segments s CROSS JOIN segments_fts ON segments_fts.rowid = s.id
		WHERE s.video_id = ?3 AND segments_fts MATCH ?4
			AND NOT EXISTS (SELECT 1 FROM segment_ranges r WHERE r.video_id = ?3 AND s.id BETWEEN r.first_id AND r.last_id)
		ORDER BY 2`, markOpen, markClose, videoID, q.FTS())
	if err != nil {
		return nil, e.wrap(ctx, input, err)
	}
	defer rows.Close()
	var ms []VideoMatch
	for rows.Next() {
		var m VideoMatch
		var text, highlighted string
		if err := rows.Scan(&m.SegmentID, &m.Start, &m.End, &text, &highlighted); err != nil {
			return nil, e.wrap(ctx, input, err)
		}
		m.Text = fragments(highlighted)
		m.Moment = moment(Hit{Start: m.Start, End: m.End, Text: text}, highlighted)
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, e.wrap(ctx, input, err)
	}
	return ms, nil
}
