package search

import (
	"context"
	"database/sql"
	"strings"
	"unicode/utf8"
)

// describe fills in what a page shows of its hits: video title and
// thumbnail, text, snippet and the estimated moment.
func (e *Engine) describe(ctx context.Context, q Query, hits []Hit) error {
	if len(hits) == 0 {
		return nil
	}
	args := []any{markOpen, markClose, q.FTS()}
	for _, h := range hits {
		args = append(args, h.SegmentID)
	}
	// The scalar subquery runs the MATCH once per shown row (a rowid
	// lookup) for its highlighted text, from which both the snippet and
	// the moment are taken.
	rows, err := e.db.QueryContext(ctx, `
		SELECT s.id, s.video_id, s.start_second, s.end_second, v.title, v.thumbnail, v.imported_at, s.text,
			(SELECT highlight(segments_fts, 0, ?1, ?2) FROM segments_fts WHERE segments_fts MATCH ?3 AND rowid = s.id)
		FROM segments s JOIN videos v ON v.video_id = s.video_id
		WHERE s.id IN (`+placeholders(len(hits))+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := map[int64]int{}
	for i, h := range hits {
		byID[h.SegmentID] = i
	}
	for rows.Next() {
		var id int64
		var title, thumb, imported, text string
		var highlighted sql.NullString
		var video string
		var start, end int
		if err := rows.Scan(&id, &video, &start, &end, &title, &thumb, &imported, &text, &highlighted); err != nil {
			return err
		}
		h := &hits[byID[id]]
		h.VideoID, h.Start, h.End = video, start, end
		h.Title, h.Thumbnail, h.Text = title, thumb, text
		h.ImportedAt = parseTime(imported)
		if highlighted.Valid {
			h.Snippet = fragments(snippet(highlighted.String, snippetTokens))
		} else {
			// Found by its title: the segment's own words do not match.
			h.Snippet = []Fragment{{Text: shorten(text, 240)}}
		}
		h.Moment = moment(*h, highlighted.String)
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
