// Package export writes a transcript in the formats people take elsewhere:
// SubRip (.srt), WebVTT (.vtt), plain text and Markdown.
package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/transcripts/site/internal/catalog"
)

// Transcript is a video's title, chapters and segments, as exported.
type Transcript struct {
	Video    catalog.Video
	Title    string // as shown on the site (never empty)
	Chapters []catalog.Chapter
	Segments []catalog.Segment
}

// turns calls each for every segment with the speaker to name before it
// (at each change of speaker, "" otherwise) and the chapters that start
// before it (the last segment takes those after every segment).
func (t Transcript) turns(each func(s catalog.Segment, speaker string, chapters []catalog.Chapter)) {
	next := 0
	for i, s := range t.Segments {
		var chs []catalog.Chapter
		for next < len(t.Chapters) && (t.Chapters[next].Start <= s.Start || i == len(t.Segments)-1) {
			chs = append(chs, t.Chapters[next])
			next++
		}
		speaker := ""
		if s.Speaker != "" && (i == 0 || s.Speaker != t.Segments[i-1].Speaker) {
			speaker = s.Speaker
		}
		each(s, speaker, chs)
	}
}

// SRT writes the transcript as SubRip subtitles, one cue per segment; a
// cue where the speaker changes starts with their name in capitals, as
// captions name speakers ("ADA LOVELACE: …").
func SRT(w io.Writer, t Transcript) error {
	bw := bufio.NewWriter(w)
	n := 0
	t.turns(func(s catalog.Segment, speaker string, _ []catalog.Chapter) {
		n++
		text := oneLine(s.Text)
		if speaker != "" {
			text = strings.ToUpper(oneLine(speaker)) + ": " + text
		}
		fmt.Fprintf(bw, "%d\n%s --> %s\n%s\n\n", n, stamp(s.Start, ','), stamp(s.End, ','), text)
	})
	return bw.Flush()
}

// VTT writes the transcript as WebVTT, one cue per segment, identified by
// the anchor of its line on the site ("t898"); a spoken cue is in its
// speaker's voice span (<v Ada Lovelace>).
func VTT(w io.Writer, t Transcript) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "WEBVTT - %s\n\n", oneLine(t.Title))
	for _, s := range t.Segments {
		text := vttEscaper.Replace(oneLine(s.Text))
		if s.Speaker != "" {
			// A voice's annotation ends at ">" and may hold no "&" or "<".
			text = "<v " + vttEscaper.Replace(oneLine(s.Speaker)) + ">" + text + "</v>"
		}
		fmt.Fprintf(bw, "t%d\n%s --> %s\n%s\n\n", s.Start, stamp(s.Start, '.'), stamp(s.End, '.'), text)
	}
	return bw.Flush()
}

// Text writes the transcript as plain text, a timestamped line per
// segment, the speaker named at each turn ("[14:58] Ada Lovelace: …") and
// each chapter's title on a line of its own.
func Text(w io.Writer, t Transcript) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n%s\n\n", t.Title, catalog.WatchURL(t.Video.ID, 0))
	t.turns(func(s catalog.Segment, speaker string, chs []catalog.Chapter) {
		for _, ch := range chs {
			fmt.Fprintf(bw, "\n%s [%s]\n\n", oneLine(ch.Title), Clock(ch.Start))
		}
		if speaker != "" {
			speaker = oneLine(speaker) + ": "
		}
		fmt.Fprintf(bw, "[%s] %s%s\n", Clock(s.Start), speaker, oneLine(s.Text))
	})
	return bw.Flush()
}

// Markdown writes the transcript as Markdown, each timestamp a link to its
// moment on YouTube, each chapter a heading and each speaker's name in
// bold at their turn.
func Markdown(w io.Writer, t Transcript) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n[Watch on YouTube](%s)\n\n", markdownEscaper.Replace(oneLine(t.Title)), catalog.WatchURL(t.Video.ID, 0))
	t.turns(func(s catalog.Segment, speaker string, chs []catalog.Chapter) {
		for _, ch := range chs {
			fmt.Fprintf(bw, "## %s\n\n", markdownEscaper.Replace(oneLine(ch.Title)))
		}
		if speaker != "" {
			speaker = "**" + markdownEscaper.Replace(oneLine(speaker)) + ":** "
		}
		fmt.Fprintf(bw, "[%s](%s) %s%s\n\n", Clock(s.Start), catalog.WatchURL(t.Video.ID, s.Start), speaker, markdownEscaper.Replace(oneLine(s.Text)))
	})
	return bw.Flush()
}

// Clock formats seconds as a player does: "14:58", "1:02:03".
func Clock(sec int) string {
	h, m, s := sec/3600, sec/60%60, sec%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// stamp formats seconds as a subtitle timestamp, 00:14:58,000 (SRT) or
// 00:14:58.000 (VTT).
func stamp(sec int, sep byte) string {
	return fmt.Sprintf("%02d:%02d:%02d%c000", sec/3600, sec/60%60, sec%60, sep)
}

// oneLine keeps a cue to one line: a blank line would end it early.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// vttEscaper escapes what WebVTT cue text reads as markup; "-->" cannot
// appear in a cue.
var vttEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// markdownEscaper escapes the punctuation Markdown reads as syntax.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`, "|", `\|`, "&", `\&`,
)
