package search

import (
	"context"
	"maps"
	"strings"
	"unicode/utf8"

	"github.com/transcripts/site/internal/excerpt"
)

// describe turns candidates into the hits a page shows, in their order:
// video title and thumbnail, text, snippet and the estimated moment.
func (e *Engine) describe(ctx context.Context, q Query, cs []candidate) ([]Hit, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	marked, err := e.highlights(ctx, q, cs)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(cs))
	var videoIDs []string
	seen := map[string]bool{}
	for i, c := range cs {
		ids[i] = c.id
		if !seen[c.video] {
			seen[c.video] = true
			videoIDs = append(videoIDs, c.video)
		}
	}
	segs, err := e.index.Segments(ctx, ids)
	if err != nil {
		return nil, err
	}
	vs, err := e.index.Videos(ctx, videoIDs)
	if err != nil {
		return nil, err
	}
	segByID := make(map[int64]Segment, len(segs))
	for _, s := range segs {
		segByID[s.ID] = s
	}
	videoByID := make(map[string]Video, len(vs))
	for _, v := range vs {
		videoByID[v.ID] = v
	}
	hits := make([]Hit, 0, len(cs))
	for _, c := range cs {
		s, ok := segByID[c.id]
		if !ok {
			continue // deleted since it was ranked
		}
		v := videoByID[s.VideoID]
		h := Hit{
			SegmentID: s.ID, VideoID: s.VideoID, Start: s.Start, End: s.End, Text: s.Text,
			Title: v.Title, Thumbnail: v.Thumbnail, ImportedAt: v.ImportedAt, TitleMatch: c.titleMatch,
			Missing: c.missing, Repeat: c.repeat, Copies: c.copies,
			ChannelID: v.ChannelID, Channel: v.Channel, Published: v.Published,
			Speaker: s.Speaker, Chapter: s.Chapter,
		}
		if m, ok := marked[c.id]; ok {
			h.Snippet = fragments(snippet(m, snippetTokens))
			h.Moment = moment(h, m)
		} else {
			// Found by its title: the segment's own words do not match.
			h.Snippet = []Fragment{{Text: excerpt.Words(s.Text, 240)}}
			h.Moment = h.Start
		}
		hits = append(hits, h)
	}
	return hits, nil
}

// highlights returns the text of each candidate whose words match, with
// the matches marked: those already read while ranking as they are, the
// others from the index, the first lines of videos found by their title
// (which may lie anywhere and may say the words too) apart from the rest
// (which lie between what ranking read).
func (e *Engine) highlights(ctx context.Context, q Query, cs []candidate) (map[int64]string, error) {
	out := make(map[int64]string, len(cs))
	if q.Browse() {
		return out, nil // no words to mark
	}
	var ids, firstLines []int64
	for _, c := range cs {
		switch {
		case c.marked != "":
			out[c.id] = c.marked
		case c.titleOnly:
			firstLines = append(firstLines, c.id)
		default:
			ids = append(ids, c.id)
		}
	}
	for _, set := range [][]int64{ids, firstLines} {
		if len(set) == 0 {
			continue
		}
		marked, err := e.index.Highlight(ctx, q, set)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, marked)
	}
	return out, nil
}

// snippet returns the window of about n words of a highlighted text that
// holds the most matches (the first such), with "…" where it cuts the
// text, its markers balanced.
func snippet(highlighted string, n int) string {
	words := strings.Fields(highlighted)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	matches := func(w string) int { return strings.Count(w, MarkStart) }
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
	if o, c := strings.Index(window, MarkStart), strings.Index(window, MarkEnd); c >= 0 && (o < 0 || c < o) {
		window = MarkStart + window
	}
	if strings.LastIndex(window, MarkStart) > strings.LastIndex(window, MarkEnd) {
		window += MarkEnd
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
	i := strings.Index(highlighted, MarkStart)
	if i < 0 || h.End <= h.Start {
		return h.Start
	}
	before := utf8.RuneCountInString(strings.ReplaceAll(strings.ReplaceAll(highlighted[:i], MarkStart, ""), MarkEnd, ""))
	total := utf8.RuneCountInString(h.Text)
	if total == 0 {
		return h.Start
	}
	at := h.Start + (h.End-h.Start)*before/total - LeadIn
	return max(h.Start, at)
}

// fragments splits a snippet with markers into plain and matched text.
func fragments(s string) []Fragment {
	var out []Fragment
	for s != "" {
		i := strings.Index(s, MarkStart)
		if i < 0 {
			out = append(out, Fragment{Text: s})
			break
		}
		if i > 0 {
			out = append(out, Fragment{Text: s[:i]})
		}
		s = s[i+len(MarkStart):]
		j := strings.Index(s, MarkEnd)
		if j < 0 {
			j = len(s)
		}
		out = append(out, Fragment{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], MarkEnd)
	}
	return out
}
