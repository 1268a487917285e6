package catalog

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// SegmentRange is a run of consecutive segment ids of one video.
type SegmentRange struct {
	FirstID, LastID int64
	VideoID         string
}

// SegmentRanges returns every run of consecutive segment ids with its
// video, in id order: about one per video.
func (c *Catalog) SegmentRanges(ctx context.Context) ([]SegmentRange, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT first_id, last_id, video_id FROM segment_ranges ORDER BY first_id`)
	if err != nil {
		return nil, fmt.Errorf("catalog: segment ranges: %w", err)
	}
	defer rows.Close()
	var rs []SegmentRange
	for rows.Next() {
		var r SegmentRange
		if err := rows.Scan(&r.FirstID, &r.LastID, &r.VideoID); err != nil {
			return nil, fmt.Errorf("catalog: segment ranges: %w", err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: segment ranges: %w", err)
	}
	return rs, nil
}

// segmentRuns tells the video of a segment id from the catalog's runs of
// consecutive ids, kept in memory (about one run per video) for one
// version of the catalog.
type segmentRuns struct {
	version int64
	ranges  []SegmentRange
	repeats map[int64]int64 // repeated segment → its cluster
	// speakers maps each speaker's name, lowercased, to how the
	// collection writes it.
	speakers map[string]string
	// described: some video names its channel or publication day.
	described bool
}

// last is the last id the runs hold.
func (m *segmentRuns) last() int64 {
	if len(m.ranges) == 0 {
		return 0
	}
	return m.ranges[len(m.ranges)-1].LastID
}

// video returns the video of segment id, or "" when no run holds it.
func (m *segmentRuns) video(id int64) string {
	r, _ := m.rangeOf(id)
	return r.VideoID
}

// rangeOf returns the run of ids holding id, if any.
func (m *segmentRuns) rangeOf(id int64) (SegmentRange, bool) {
	i := sort.Search(len(m.ranges), func(i int) bool { return m.ranges[i].LastID >= id })
	if i < len(m.ranges) && m.ranges[i].FirstID <= id {
		return m.ranges[i], true
	}
	return SegmentRange{}, false
}

// segmentRuns returns the runs of the catalog's current version, reading
// them again when it has changed. No lock is held while the database is
// read for the version; one reload at a time reads the runs.
func (x *Index) segmentRuns(ctx context.Context) (*segmentRuns, error) {
	v, err := x.c.Version(ctx)
	if err != nil {
		return nil, err
	}
	current := func() *segmentRuns {
		x.mu.Lock()
		defer x.mu.Unlock()
		if x.runs != nil && x.runs.version >= v.N {
			return x.runs
		}
		return nil
	}
	if m := current(); m != nil {
		return m, nil
	}
	x.reload.Lock()
	defer x.reload.Unlock()
	if m := current(); m != nil { // read meanwhile by another search
		return m, nil
	}
	rs, err := x.c.SegmentRanges(ctx)
	if err != nil {
		return nil, err
	}
	repeats, err := x.c.repeatedSegments(ctx)
	if err != nil {
		return nil, err
	}
	speakers, err := x.c.speakerNames(ctx)
	if err != nil {
		return nil, err
	}
	var described bool
	if err := x.c.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM videos WHERE channel_id <> '' OR published <> '')`).Scan(&described); err != nil {
		return nil, fmt.Errorf("catalog: described: %w", err)
	}
	m := &segmentRuns{version: v.N, ranges: rs, repeats: repeats, speakers: speakers, described: described}
	x.mu.Lock()
	x.runs = m
	x.mu.Unlock()
	return m, nil
}

// speakerNames returns every speaker's name, by its lowercase form. The
// partial index segments_by_speaker holds them in order, so this reads
// it, not the segments.
func (c *Catalog) speakerNames(ctx context.Context) (map[string]string, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT DISTINCT speaker FROM segments WHERE speaker <> ''`)
	if err != nil {
		return nil, fmt.Errorf("catalog: speakers: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("catalog: speakers: %w", err)
		}
		if _, ok := m[strings.ToLower(name)]; !ok {
			m[strings.ToLower(name)] = name
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: speakers: %w", err)
	}
	return m, nil
}
