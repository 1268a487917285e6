package search

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// describe fills in what a page shows of its hits: video title and
// thumbnail, text, snippet and the estimated moment.
func (e *Engine) describe(ctx context.Context, q Query, hits []Hit) error {
	if len(hits) == 0 {
		return nil
	}
	highlighted, err := e.highlights(ctx, q, hits)
	if err != nil {
		return err
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.SegmentID
	}
	rows, err := e.query(ctx, `
		SELECT s.id, s.video_id, s.start_second, s.end_second, v.title, v.thumbnail, v.imported_at, s.text
		FROM segments s JOIN videos v ON v.video_id = s.video_id
		WHERE s.id IN (SELECT value FROM json_each(?))`, jsonIDs(ids))
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := make(map[int64]int, len(hits))
	for i, h := range hits {
		byID[h.SegmentID] = i
	}
	for rows.Next() {
		var id int64
		var title, thumb, imported, text string
		var video string
		var start, end int
		if err := rows.Scan(&id, &video, &start, &end, &title, &thumb, &imported, &text); err != nil {
			return err
		}
		h := &hits[byID[id]]
		h.VideoID, h.Start, h.End = video, start, end
		h.Title, h.Thumbnail, h.Text = title, thumb, text
		h.ImportedAt = parseTime(imported)
		if hl, ok := highlighted[id]; ok {
			h.Snippet = fragments(snippet(hl, snippetTokens))
			h.Moment = moment(*h, hl)
		} else {
			// Found by its title: the segment's own words do not match.
			h.Snippet = []Fragment{{Text: shorten(text, 240)}}
			h.Moment = h.Start
		}
	}
	return rows.Err()
}

// highlights returns the text of each hit whose words match, with the
// matches marked. One pass reads the matches between the lowest and the
// highest hit and highlights only the hits: a MATCH per hit costs a seek
// into every index segment holding each term (0.2–0.7 ms each at 1M
// segments), while the pass is bounded by what ranking read (at most
// CountCap matches, or the RankWindow newest above the walk's bound).
// The first lines of videos found by their title, which may lie anywhere
// and may say the words too, are looked up one by one (a page shows at
// most GroupsPerPage of them), or, for a query with a prefix, in one pass:
// FTS5 merges the lists of every word a prefix matches for each lookup.
func (e *Engine) highlights(ctx context.Context, q Query, hits []Hit) (map[int64]string, error) {
	out := make(map[int64]string, len(hits))
	var ids, firstLines []int64
	for _, h := range hits {
		switch {
		case h.marked != "":
			out[h.SegmentID] = h.marked
		case h.titleOnly:
			firstLines = append(firstLines, h.SegmentID)
		default:
			ids = append(ids, h.SegmentID)
		}
	}
	if len(ids) > 0 {
		// The unary + keeps the list out of FTS5's hands (which would run
		// the MATCH once per id): SQLite filters the pass's rows, and only
		// those kept are highlighted.
		err := e.collectHighlights(ctx, out, `
			SELECT rowid, highlight(segments_fts, 0, ?, ?) FROM segments_fts
			WHERE segments_fts MATCH ? AND rowid BETWEEN ? AND ?
				AND +rowid IN (SELECT value FROM json_each(?))`,
			markOpen, markClose, q.FTS(), slices.Min(ids), slices.Max(ids), jsonIDs(ids))
		if err != nil {
			return nil, err
		}
	}
	if len(firstLines) > 0 {
		query := `
			SELECT rowid, highlight(segments_fts, 0, ?, ?) FROM segments_fts
			WHERE segments_fts MATCH ? AND rowid IN (SELECT value FROM json_each(?))`
		args := []any{markOpen, markClose, q.FTS(), jsonIDs(firstLines)}
		if q.hasPrefix() {
			query = `
				SELECT rowid, highlight(segments_fts, 0, ?, ?) FROM segments_fts
				WHERE segments_fts MATCH ? AND rowid BETWEEN ? AND ?
					AND +rowid IN (SELECT value FROM json_each(?))`
			args = []any{markOpen, markClose, q.FTS(), slices.Min(firstLines), slices.Max(firstLines), jsonIDs(firstLines)}
		}
		err := e.collectHighlights(ctx, out, query, args...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// collectHighlights adds the (rowid, highlighted text) rows of query to out.
func (e *Engine) collectHighlights(ctx context.Context, out map[int64]string, query string, args ...any) error {
	rows, err := e.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return err
		}
		out[id] = text
	}
	return rows.Err()
}

// snippet returns the window of about n words of a highlighted text that
// holds the most matches (the first such), with "…" where it cuts the
// text, its markers balanced.
func snippet(highlighted string, n int) string {
	words := strings.Fields(highlighted)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	matches := func(w string) int { return strings.Count(w, markOpen) }
	best, bestCount, count := 0, -1, 0
	for i, w := range words {
		count += matches(w)
		if i >= n {
			count -= matches(words[i-n])
		}
		if i >= n-1 && count > bestCount {
			best, bestCount = i-n+1, count
		}
	}
	// Start a little before the first match in the window, so it reads
	// in context.
	for i := best; i < best+n; i++ {
		if matches(words[i]) > 0 {
			best = max(0, min(i-4, len(words)-n))
			break
		}
	}
	window := strings.Join(words[best:best+n], " ")
	// A phrase's markers may fall on both sides of a cut.
	if o, c := strings.Index(window, markOpen), strings.Index(window, markClose); c >= 0 && (o < 0 || c < o) {
		window = markOpen + window
	}
	if strings.LastIndex(window, markOpen) > strings.LastIndex(window, markClose) {
		window += markClose
	}
	if best > 0 {
		window = "…" + window
	}
	if best+n < len(words) {
		window += "…"
	}
	return window
}

// moment estimates the second the first matched word of a hit is spoken,
// by its position in the segment's text between start and end, less a
// lead-in, never before the segment's start.
func moment(h Hit, highlighted string) int {
	i := strings.Index(highlighted, markOpen)
	if i < 0 || h.End <= h.Start {
		return h.Start
	}
	before := utf8.RuneCountInString(strings.ReplaceAll(strings.ReplaceAll(highlighted[:i], markOpen, ""), markClose, ""))
	total := utf8.RuneCountInString(h.Text)
	if total == 0 {
		return h.Start
	}
	at := h.Start + (h.End-h.Start)*before/total - LeadIn
	return max(h.Start, at)
}

// shorten cuts s to about n bytes at a word boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + "…"
}

// fragments splits a snippet with markers into plain and matched text.
func fragments(s string) []Fragment {
	var out []Fragment
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			out = append(out, Fragment{Text: s})
			break
		}
		if i > 0 {
			out = append(out, Fragment{Text: s[:i]})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			j = len(s)
		}
		out = append(out, Fragment{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], markClose)
	}
	return out
}
