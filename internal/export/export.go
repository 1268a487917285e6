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

// Transcript is a video's title and segments, as exported.
type Transcript struct {
	Video    catalog.Video
	Title    string // as shown on the site (never empty)
	Segments []catalog.Segment
}

// SRT writes the transcript as SubRip subtitles, one cue per segment.
func SRT(w io.Writer, t Transcript) error {
	bw := bufio.NewWriter(w)
	for i, s := range t.Segments {
		fmt.Fprintf(bw, "%d\n%s --> %s\n%s\n\n", i+1, stamp(s.Start, ','), stamp(s.End, ','), oneLine(s.Text))
	}
	return bw.Flush()
}

// VTT writes the transcript as WebVTT, one cue per segment, identified by
// the anchor of its line on the site ("t898").
func VTT(w io.Writer, t Transcript) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "WEBVTT - %s\n\n", oneLine(t.Title))
	for _, s := range t.Segments {
		fmt.Fprintf(bw, "t%d\n%s --> %s\n%s\n\n", s.Start, stamp(s.Start, '.'), stamp(s.End, '.'), vttEscaper.Replace(oneLine(s.Text)))
	}
	return bw.Flush()
}

// Text writes the transcript as plain text, a timestamped line per segment.
func Text(w io.Writer, t Transcript) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n%s\n\n", t.Title, catalog.WatchURL(t.Video.ID, 0))
	for _, s := range t.Segments {
		fmt.Fprintf(bw, "[%s] %s\n", Clock(s.Start), oneLine(s.Text))
	}
	return bw.Flush()
}

// Markdown writes the transcript as Markdown, each timestamp a link to its
// moment on YouTube.
func Markdown(w io.Writer, t Transcript) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n[Watch on YouTube](%s)\n\n", markdownEscaper.Replace(oneLine(t.Title)), catalog.WatchURL(t.Video.ID, 0))
	for _, s := range t.Segments {
		fmt.Fprintf(bw, "[%s](%s) %s\n\n", Clock(s.Start), catalog.WatchURL(t.Video.ID, s.Start), markdownEscaper.Replace(oneLine(s.Text)))
	}
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
