package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/transcripts/site/internal/catalog"

	"github.com/transcripts/site/internal/excerpt"
)

// Subtitles reads SubRip (.srt) or WebVTT (.vtt) cues from r as records of
// one video, one record per cue; name is used in positions. Cue numbers,
// identifiers, VTT headers, NOTE/STYLE/REGION blocks, cue settings and
// inline tags are dropped; entities such as &amp; are decoded. The speaker
// comes from a WebVTT voice tag (<v Ada Lovelace>) or a cue that starts
// with a name in capitals (ADA: …, >> ADA: …), and stays until another is
// named (a bare >> is someone unnamed).
func Subtitles(r io.Reader, name, videoID, title string) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64*1024), maxLine)
		line := 0
		var (
			inCue    bool
			skipping bool // inside a NOTE, STYLE or REGION block
			cue      catalog.Record
			text     []string
			speaker  string // the last one named
		)
		flush := func() bool {
			if !inCue {
				return true
			}
			inCue = false
			cue.Text = strings.Join(text, " ")
			text = text[:0]
			if who, rest, ok := cueSpeaker(cue.Text); ok {
				speaker, cue.Text = who, rest
			}
			cue.Speaker = speaker
			if strings.TrimSpace(cue.Text) == "" {
				return true // an empty cue says nothing: not an error
			}
			return yield(cue, nil)
		}
		for sc.Scan() {
			line++
			b := sc.Bytes()
			if line == 1 {
				b = bytes.TrimPrefix(b, []byte("\uFEFF"))
			}
			s := strings.TrimSpace(string(b))
			switch {
			case s == "":
				skipping = false
				if !flush() {
					return
				}
			case skipping:
			case inCue:
				if len(text) == 0 {
					// A voice tag names the speaker: <v Ada>, <v.loud Ada>.
					if m := voiceTag.FindStringSubmatch(s); m != nil {
						speaker = strings.TrimSpace(html.UnescapeString(m[1]))
					}
				}
				text = append(text, cleanCue(s))
			case strings.HasPrefix(s, "WEBVTT") || strings.HasPrefix(s, "NOTE") || s == "STYLE" || s == "REGION":
				skipping = true
			case strings.Contains(s, "-->"):
				start, end, err := cueTimes(s)
				if err != nil {
					// A lenient reader skips the cue.
					if !yield(catalog.Record{}, &catalog.RowError{Pos: fmt.Sprintf("%s:%d", name, line), Err: err}) {
						return
					}
					skipping = true
					continue
				}
				inCue = true
				cue = catalog.Record{Pos: fmt.Sprintf("%s:%d", name, line), VideoID: videoID, Title: title, Start: start, End: end}
			default:
				// A cue number or identifier: the timing line follows.
			}
		}
		if err := sc.Err(); err != nil {
			yield(catalog.Record{}, &catalog.RowError{Pos: fmt.Sprintf("%s:%d", name, line+1), Err: err})
			return
		}
		flush()
	}
}

// cueTimes reads "00:14:58,000 --> 00:15:25,500 align:start" (SRT uses a
// comma, VTT a dot; VTT may omit hours).
func cueTimes(s string) (start, end int, err error) {
	from, to, _ := strings.Cut(s, "-->")
	fields := strings.Fields(to)
	if len(fields) == 0 {
		return 0, 0, fmt.Errorf("cue timing %q has no end", excerpt.Bytes(s, 60))
	}
	if start, err = timestamp(strings.TrimSpace(from)); err != nil {
		return 0, 0, err
	}
	if end, err = timestamp(fields[0]); err != nil {
		return 0, 0, err
	}
	return start, end, nil
}

var timestampPattern = regexp.MustCompile(`^(?:(\d{1,5}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$`)

// timestamp reads a cue time as whole seconds, rounded down.
func timestamp(s string) (int, error) {
	m := timestampPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a cue time like 00:14:58,000", excerpt.Bytes(s, 30))
	}
	h, _ := strconv.Atoi(m[1]) // empty (no hours) reads as 0
	mins, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	if mins > 59 || sec > 59 {
		return 0, fmt.Errorf("%q is not a cue time like 00:14:58,000", excerpt.Bytes(s, 30))
	}
	return h*3600 + mins*60 + sec, nil
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)

// voiceTag is a WebVTT voice span's start: <v Name> or <v.class Name>.
var voiceTag = regexp.MustCompile(`<v(?:\.[^\s>]*)?\s+([^>]+)>`)

// namedCue is a cue that starts by naming its speaker in capitals, as
// broadcast captions do: "ADA LOVELACE: …", ">> DR. SMITH: …", "- Q: …";
// or a bare ">>" for a new, unnamed speaker.
var namedCue = regexp.MustCompile(`^(?:>>\s*|-\s*)?(?:([\p{Lu}][\p{Lu}\p{N}'’. -]{0,40}[\p{Lu}\p{N}.]|[\p{Lu}]):\s+|>>\s*|$)`)

// cueSpeaker splits a cue's text into the speaker it names and the rest.
func cueSpeaker(text string) (speaker, rest string, ok bool) {
	if strings.HasPrefix(text, ">>") {
		m := namedCue.FindStringSubmatchIndex(text)
		if m == nil {
			return "", strings.TrimSpace(text[2:]), true
		}
		if m[2] < 0 {
			return "", strings.TrimSpace(text[m[1]:]), true
		}
		return titleCase(text[m[2]:m[3]]), text[m[1]:], true
	}
	m := namedCue.FindStringSubmatchIndex(text)
	if m == nil || m[2] < 0 {
		return "", text, false
	}
	return titleCase(text[m[2]:m[3]]), text[m[1]:], true
}

// titleCase turns a name captions shout into one to read: "DR. ADA
// LOVELACE" → "Dr. Ada Lovelace".
func titleCase(name string) string {
	words := strings.Fields(name)
	for i, w := range words {
		r := []rune(strings.ToLower(w))
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// cleanCue removes inline tags (<i>, <c.color>, <00:00:01.000>) and decodes
// entities.
func cleanCue(s string) string {
	return html.UnescapeString(tagPattern.ReplaceAllString(s, ""))
}
