package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/export"
	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/views"

	"github.com/transcripts/site/internal/excerpt"
)

// transcriptFormats are the exports of a transcript, by extension.
var transcriptFormats = []struct {
	ext, label, contentType string
	write                   func(*bytes.Buffer, export.Transcript) error
}{
	{".txt", "Text", "text/plain; charset=utf-8", func(b *bytes.Buffer, t export.Transcript) error { return export.Text(b, t) }},
	{".md", "Markdown", "text/markdown; charset=utf-8", func(b *bytes.Buffer, t export.Transcript) error { return export.Markdown(b, t) }},
	{".srt", "SubRip (.srt)", "application/x-subrip; charset=utf-8", func(b *bytes.Buffer, t export.Transcript) error { return export.SRT(b, t) }},
	{".vtt", "WebVTT (.vtt)", "text/vtt; charset=utf-8", func(b *bytes.Buffer, t export.Transcript) error { return export.VTT(b, t) }},
}

// video serves /videos/ID and its other representations /videos/ID.json,
// .txt, .md, .srt and .vtt.
func (s *server) video(c echo.Context) error {
	file := c.Param("file")
	ext := path.Ext(file)
	id := strings.TrimSuffix(file, ext)
	if !catalog.ValidVideoID(id) {
		return &pageError{status: http.StatusNotFound, message: "There is no video at this address: a video id is 11 letters, digits, - or _."}
	}
	ctx := c.Request().Context()
	v, err := s.catalog.Video(ctx, id)
	if err != nil {
		return err
	}
	segs, err := s.catalog.Transcript(ctx, id)
	if err != nil {
		return err
	}
	chapters, err := s.catalog.Chapters(ctx, id)
	if err != nil {
		return err
	}
	switch ext {
	case "":
		return s.videoPage(c, v, chapters, segs)
	case ".json":
		repeats, err := s.catalog.RepeatedIn(ctx, id)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, s.videoJSON(c, v, chapters, segs, repeats))
	}
	for _, f := range transcriptFormats {
		if f.ext == ext {
			var buf bytes.Buffer
			if err := f.write(&buf, export.Transcript{Video: v, Title: displayTitle(v.ID, v.Title), Chapters: chapters, Segments: segs}); err != nil {
				return fmt.Errorf("export %s%s: %w", id, ext, err)
			}
			setAttachment(c, id+ext)
			return c.Blob(http.StatusOK, f.contentType, buf.Bytes())
		}
	}
	return echo.ErrNotFound
}

// setAttachment names the file a download is saved as.
func setAttachment(c echo.Context, filename string) {
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, filename))
}

// videoPage shows one video's whole transcript; ?t= marks a moment, or
// a passage to quote (?t=898-960).
func (s *server) videoPage(c echo.Context, v catalog.Video, chapters []catalog.Chapter, segs []catalog.Segment) error {
	sp := span{from: -1, to: -1}
	if t := c.QueryParam("t"); t != "" {
		var ok bool
		if sp, ok = parseSpan(t); !ok {
			return badRequest("The moment t must be a time in the video, such as 898, 898s, 14m58s or 14:58, or a passage from one to another, such as 898-960.")
		}
	}
	moment := sp.from
	speakers, err := s.catalog.Speakers(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	repeats, err := s.catalog.RepeatedIn(c.Request().Context(), v.ID)
	if err != nil {
		return err
	}
	m := videoModel(v, chapters, speakers, segs, sp)
	markRepeats(&m, segs, repeats)
	if m.Moment != nil && len(m.Moment.Lines) > 0 {
		m.Moment.QuoteText = quoteText(m.Title, m.Moment, s.absolute(c, m.Moment.Link))
	}
	m.PlayerURL = s.playerURL
	if q := strings.TrimSpace(c.QueryParam("q")); q != "" {
		if err := s.searchVideo(c, &m, v, segs, excerpt.Prefix(q, maxQueryBytes)); err != nil {
			return err
		}
	}
	chrome := s.chrome(c, m.Title, "Transcript of “"+m.Title+"”, every line linked to its moment.", "")
	chrome.Image = v.Thumbnail
	chrome.OGType = "video.other"
	chrome.Alternates = []views.Alternate{{Type: "application/json", Href: videoURL(v.ID) + ".json", Title: "This transcript as JSON"}}
	chrome.JSONLD = s.videoObject(c, v, m.Title, chapters, segs)
	if m.Moment != nil {
		// A moment URL previews as the words said then; a passage, as
		// the passage, who said what.
		chrome.Title = "“" + excerpt.Words(segs[segmentAt(segs, moment)].Text, 90) + "” at " + m.Moment.Time + " — " + m.Title
		chrome.Description = m.Moment.Quote
		chrome.Canonical = s.absolute(c, videoURL(v.ID)+"?t="+sp.String())
		if len(m.Moment.Lines) > 0 {
			chrome.Description = excerpt.Words(quoteProse(m.Moment.Lines), 300)
		}
	}
	return s.render(c, http.StatusOK, views.VideoPage(chrome, m))
}

// searchVideo marks the lines of the transcript that match q, lists them
// and places them on a timeline.
func (s *server) searchVideo(c echo.Context, m *views.Video, v catalog.Video, segs []catalog.Segment, q string) error {
	vs := &views.VideoSearch{
		Query:    q,
		AllURL:   withQuery("/search", url.Values{"q": {q}}),
		ClearURL: videoURL(v.ID),
	}
	m.Search = vs
	matches, err := s.search.InVideo(c.Request().Context(), v.ID, q)
	if reason, bad := search.IsBadQuery(err); bad {
		vs.Summary, vs.Problem = reason, true
		return nil
	}
	if err != nil {
		return err
	}
	vs.Summary = plural(len(matches), "moment", "moments") + " for “" + q + "”"
	if len(matches) == 0 {
		vs.Summary = "Nothing in this transcript matches “" + q + "”"
	}
	byStart := map[int]int{} // segment start → index among matches
	for i, mt := range matches {
		byStart[mt.Start] = i
		pos := 0
		if v.Duration > 0 {
			pos = min(994, mt.Moment*1000/v.Duration)
		}
		vs.Moments = append(vs.Moments, views.Tick{
			Anchor: anchor(mt.Start), Time: export.Clock(mt.Moment), Datetime: isoDuration(mt.Moment),
			Position: strconv.Itoa(pos), Snippet: around(mt.Text, snippetWords),
		})
	}
	for i := range m.Lines {
		j, ok := byStart[segs[i].Start]
		if !ok {
			continue
		}
		l := &m.Lines[i]
		l.Match = true
		for _, f := range matches[j].Text {
			l.Fragments = append(l.Fragments, views.Fragment{Text: f.Text, Match: f.Match})
		}
		if j > 0 {
			l.PrevMatch = anchor(matches[j-1].Start)
		}
		if j+1 < len(matches) {
			l.NextMatch = anchor(matches[j+1].Start)
		}
	}
	return nil
}

// snippetWords is how many words of a matching line the list of matches
// shows: about a phone's two lines.
const snippetWords = 14

// around cuts a marked line to about n words around its first match, a
// few words of context before it, with "…" where words were left out.
func around(fs []search.Fragment, n int) []views.Fragment {
	type token struct {
		text  string
		match bool
	}
	var tokens []token // words and the spaces between them
	var words []int    // the index of each word among tokens
	first := -1        // the first matching word
	for _, f := range fs {
		for _, t := range tokenPattern.FindAllString(f.Text, -1) {
			if strings.TrimSpace(t) != "" {
				if f.Match && first < 0 {
					first = len(words)
				}
				words = append(words, len(tokens))
			}
			tokens = append(tokens, token{t, f.Match})
		}
	}
	if len(words) == 0 {
		return nil
	}
	from := max(0, first-4)
	to := min(len(words), from+n)
	from = max(0, to-n)
	var out []views.Fragment
	add := func(text string, match bool) {
		if k := len(out) - 1; k >= 0 && out[k].Match == match {
			out[k].Text += text
			return
		}
		out = append(out, views.Fragment{Text: text, Match: match})
	}
	if from > 0 {
		add("…", false)
	}
	for _, t := range tokens[words[from] : words[to-1]+1] {
		add(t.text, t.match)
	}
	if to < len(words) {
		add("…", false)
	}
	return out
}

var tokenPattern = regexp.MustCompile(`\s+|\S+`)

// chapterAnchor is the fragment of a chapter's heading.
func chapterAnchor(sec int) string { return "chapter-" + strconv.Itoa(sec) }

// span is what ?t= points at: a moment (to == from), a passage, or
// nothing (from < 0).
type span struct{ from, to int }

// String is the span as ?t= writes it: 898, or 898-960.
func (sp span) String() string {
	if sp.to == sp.from {
		return strconv.Itoa(sp.from)
	}
	return strconv.Itoa(sp.from) + "-" + strconv.Itoa(sp.to)
}

// parseSpan reads ?t=: a moment (898, 14:58, …) or two of them joined by
// "-", the second not before the first.
func parseSpan(t string) (span, bool) {
	a, b, isRange := strings.Cut(t, "-")
	from, ok := parseMoment(a)
	if !ok || a == "" || (isRange && b == "") {
		return span{}, false
	}
	if !isRange {
		return span{from, from}, true
	}
	to, ok := parseMoment(b)
	if !ok || to < from {
		return span{}, false
	}
	return span{from, to}, true
}

// maxQuoteLines bounds how far past a moment "quote to here" is offered:
// a passage, not a chapter.
const maxQuoteLines = 30

// videoModel maps a video and its transcript to the view; sp is what a
// moment URL points at.
func videoModel(v catalog.Video, chapters []catalog.Chapter, speakers []catalog.Speaker, segs []catalog.Segment, sp span) views.Video {
	moment := sp.from
	m := views.Video{
		Title:       displayTitle(v.ID, v.Title),
		Thumbnail:   v.Thumbnail,
		WatchURL:    catalog.WatchURL(v.ID, 0),
		Published:   dateOf(v.Published),
		Length:      export.Clock(v.Duration),
		Description: v.Description,
		Tags:        v.Tags,
		Meta:        export.Clock(v.Duration) + " · " + plural(v.Segments, "transcript line", "transcript lines"),
		Lines:       make([]views.Line, 0, len(segs)),
		SearchURL:   videoURL(v.ID) + "#matches",
		ID:          v.ID,
	}
	if v.ChannelID != "" {
		m.Channel, m.ChannelURL = v.Channel, channelURL(v.ChannelID)
	}
	for _, sp := range speakers {
		m.Speakers = append(m.Speakers, sp.Name+" ("+plural(sp.Segments, "line", "lines")+")")
	}
	for _, ch := range chapters {
		m.Chapters = append(m.Chapters, views.ChapterLink{
			Title: ch.Title, Anchor: chapterAnchor(ch.Start), Time: export.Clock(ch.Start),
			Datetime: isoDuration(ch.Start), WatchURL: catalog.WatchURL(v.ID, ch.Start),
		})
	}
	at := segmentAt(segs, moment)
	last := at // the last line of the passage
	if at >= 0 {
		last = max(at, segmentAt(segs, sp.to))
	}
	next := 0 // the next chapter to head a line
	for i, seg := range segs {
		// A chapter heads the first line that starts in it (the last
		// line heads those after every line), so each entry of the list
		// of chapters has its heading.
		var headings []views.ChapterLink
		for next < len(chapters) && (chapters[next].Start <= seg.Start || i == len(segs)-1) {
			headings = append(headings, m.Chapters[next])
			next++
		}
		// The speaker's name is shown at each turn, and again under a
		// chapter heading.
		speaker := ""
		if seg.Speaker != "" && (i == 0 || seg.Speaker != segs[i-1].Speaker || headings != nil) {
			speaker = seg.Speaker
		}
		speakerURL := ""
		if speaker != "" {
			speakerURL = withQuery("/search", url.Values{"speaker": {speaker}})
		}
		m.Lines = append(m.Lines, views.Line{
			Chapters:   headings,
			Speaker:    speaker,
			SpeakerURL: speakerURL,
			Anchor:     anchor(seg.Start),
			Moment:     at >= 0 && i >= at && i <= last,
			Time:       export.Clock(seg.Start),
			Datetime:   isoDuration(seg.Start),
			WatchURL:   catalog.WatchURL(v.ID, seg.Start),
			Start:      seg.Start,
			CopyURL:    videoURL(v.ID) + "?t=" + strconv.Itoa(seg.Start) + "#" + anchor(seg.Start),
			Text:       seg.Text,
		})
		if at >= 0 && i > at && i <= at+maxQuoteLines {
			m.Lines[i].QuoteURL = videoURL(v.ID) + "?t=" + span{segs[at].Start, seg.Start}.String() + "#" + anchor(segs[at].Start)
		}
	}
	if at >= 0 {
		m.Moment = &views.Moment{
			Quote:    excerpt.Words(segs[at].Text, 200),
			Time:     export.Clock(moment),
			Anchor:   anchor(segs[at].Start),
			WatchURL: catalog.WatchURL(v.ID, moment),
		}
		if sp.to > sp.from {
			m.Moment.Time = export.Clock(sp.from) + "–" + export.Clock(max(sp.to, segs[last].End))
			m.Moment.Link = videoURL(v.ID) + "?t=" + sp.String()
			for i := at; i <= last; i++ {
				speaker := ""
				if segs[i].Speaker != "" && (i == at || segs[i].Speaker != segs[i-1].Speaker) {
					speaker = segs[i].Speaker
				}
				m.Moment.Lines = append(m.Moment.Lines, views.QuoteLine{Speaker: speaker, Text: segs[i].Text})
			}
		}
	}
	for _, f := range transcriptFormats {
		m.Downloads = append(m.Downloads, views.Download{Label: f.label, Href: videoURL(v.ID) + f.ext})
	}
	m.Downloads = append(m.Downloads, views.Download{Label: "JSON", Href: videoURL(v.ID) + ".json"})
	return m
}

// quoteProse is a passage as running text, each change of speaker named:
// what a link preview quotes.
func quoteProse(lines []views.QuoteLine) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteString(" ")
		}
		if l.Speaker != "" {
			b.WriteString(l.Speaker + ": ")
		}
		b.WriteString(l.Text)
	}
	return b.String()
}

// quoteText is a passage to paste elsewhere, as a Markdown quote: a
// paragraph per turn, each after its speaker's name, then where it is from
// and its link.
func quoteText(title string, mo *views.Moment, link string) string {
	var b strings.Builder
	for i, l := range mo.Lines {
		switch {
		case i == 0:
			b.WriteString("> ")
		case l.Speaker != "":
			b.WriteString("\n>\n> ")
		default:
			b.WriteString(" ")
		}
		if l.Speaker != "" {
			b.WriteString(l.Speaker + ": ")
		}
		b.WriteString(l.Text)
	}
	b.WriteString("\n\n— “" + title + "”, " + mo.Time + "\n" + link + "\n")
	return b.String()
}

// markRepeats marks the lines that are repeated text: every line of a
// block of them dimmed, its first line labelled with the number of videos
// that say it and a link past the block, and a key above the transcript.
func markRepeats(m *views.Video, segs []catalog.Segment, repeats map[int64]catalog.Repeat) {
	if len(repeats) == 0 {
		return
	}
	for i := 0; i < len(segs); {
		r, ok := repeats[segs[i].ID]
		if !ok {
			i++
			continue
		}
		end := i + 1 // the first line after the block
		for end < len(segs) && repeats[segs[end].ID] != (catalog.Repeat{}) {
			end++
		}
		first := &m.Lines[i]
		first.RepeatLabel = "repeated in " + plural(r.Videos, "video", "videos")
		if end < len(segs) {
			first.SkipURL = "#" + anchor(segs[end].Start)
			first.SkipLabel = "skip " + plural(end-i, "repeated line", "repeated lines")
		}
		for j := i; j < end; j++ {
			m.Lines[j].Repeated = true
		}
		i = end
	}
	m.RepeatKey = "Dimmed lines are repeated text: said nearly word for word in other videos too (sponsor reads, intros, outros). " +
		"They are kept, marked “repeated in N videos”, with a link to skip past them."
}

// segmentAt returns the index of the segment being spoken at sec (the last
// one starting at or before it), or -1.
func segmentAt(segs []catalog.Segment, sec int) int {
	at := -1
	if sec < 0 {
		return at
	}
	for i, s := range segs {
		if s.Start > sec {
			break
		}
		at = i
	}
	return at
}

var momentPattern = regexp.MustCompile(`^(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?$`)

// parseMoment reads a time in a video as people write it: 898, 898s,
// 14m58s, 1h2m3s or 14:58, 1:02:03.
func parseMoment(t string) (int, bool) {
	if strings.Contains(t, ":") {
		parts := strings.Split(t, ":")
		if len(parts) > 3 {
			return 0, false
		}
		sec := 0
		for i, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || (i > 0 && (n > 59 || len(p) != 2)) {
				return 0, false
			}
			sec = sec*60 + n
		}
		return sec, true
	}
	m := momentPattern.FindStringSubmatch(t)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1]) // empty groups read as 0
	mins, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	return h*3600 + mins*60 + sec, true
}

// maxClips bounds the transcript lines described to search engines; the
// SeekToAction covers every other moment.
const maxClips = 100

// videoObject is the schema.org description of a video page, so search
// engines can link to its moments.
type videoObject struct {
	Context         string       `json:"@context"`
	Type            string       `json:"@type"`
	Name            string       `json:"name"`
	Description     string       `json:"description"`
	ThumbnailURL    []string     `json:"thumbnailUrl"`
	Duration        string       `json:"duration"`
	EmbedURL        string       `json:"embedUrl"`
	URL             string       `json:"url"`
	SameAs          string       `json:"sameAs"`
	UploadDate      string       `json:"uploadDate,omitempty"` // YYYY-MM-DD
	Author          *author      `json:"author,omitempty"`
	InLanguage      string       `json:"inLanguage,omitempty"`
	Keywords        string       `json:"keywords,omitempty"`
	PotentialAction seekToAction `json:"potentialAction"`
	// HasPart are the video's chapters as clips when it has any (what
	// search engines show as key moments), else its first lines.
	HasPart []clip `json:"hasPart,omitempty"`
}

// author is the channel that published a video.
type author struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type seekToAction struct {
	Type        string `json:"@type"`
	Target      string `json:"target"`
	StartOffset string `json:"startOffset-input"`
}

type clip struct {
	Type        string `json:"@type"`
	Name        string `json:"name"`
	StartOffset int    `json:"startOffset"`
	EndOffset   int    `json:"endOffset"`
	URL         string `json:"url"`
}

func (s *server) videoObject(c echo.Context, v catalog.Video, title string, chapters []catalog.Chapter, segs []catalog.Segment) videoObject {
	obj := videoObject{
		Context:      "https://schema.org",
		Type:         "VideoObject",
		Name:         title,
		Description:  "Transcript of “" + title + "”",
		ThumbnailURL: []string{v.Thumbnail},
		Duration:     isoDuration(v.Duration),
		EmbedURL:     "https://www.youtube.com/embed/" + v.ID,
		URL:          s.absolute(c, videoURL(v.ID)),
		SameAs:       catalog.WatchURL(v.ID, 0),
		PotentialAction: seekToAction{
			Type:        "SeekToAction",
			Target:      "https://www.youtube.com/watch?v=" + v.ID + "&t={seek_to_second_number}",
			StartOffset: "required name=seek_to_second_number",
		},
	}
	if !v.Published.IsZero() {
		obj.UploadDate = v.Published.Format(time.DateOnly)
	}
	if v.ChannelID != "" {
		obj.Author = &author{Type: "Organization", Name: v.Channel, URL: s.absolute(c, channelURL(v.ChannelID))}
		if youTubeChannel(v.ChannelID) {
			obj.Author.URL = "https://www.youtube.com/channel/" + v.ChannelID
		}
	}
	obj.InLanguage = v.Language
	obj.Keywords = strings.Join(v.Tags, ", ")
	if v.Description != "" {
		obj.Description = excerpt.Words(v.Description, 300)
	}
	for i, ch := range chapters {
		end := v.Duration
		if i+1 < len(chapters) {
			end = chapters[i+1].Start
		}
		obj.HasPart = append(obj.HasPart, clip{
			Type:        "Clip",
			Name:        ch.Title,
			StartOffset: ch.Start,
			EndOffset:   max(end, ch.Start),
			URL:         catalog.WatchURL(v.ID, ch.Start),
		})
	}
	if len(chapters) > 0 {
		return obj
	}
	for _, seg := range segs[:min(len(segs), maxClips)] {
		obj.HasPart = append(obj.HasPart, clip{
			Type:        "Clip",
			Name:        excerpt.Words(seg.Text, 80),
			StartOffset: seg.Start,
			EndOffset:   seg.End,
			URL:         catalog.WatchURL(v.ID, seg.Start),
		})
	}
	return obj
}
