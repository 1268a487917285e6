package ingest

import (
	"github.com/transcripts/site/internal/excerpt"

	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/transcripts/site/internal/catalog"
)

// A turn of a text transcript starts with a line that names its speaker
// and time, in one of the shapes transcription services and podcast sites
// export. Each pattern has the groups name, time and text (what follows
// on the same line).
var turnPatterns = []*regexp.Regexp{
	// Rev: "Ada Lovelace (00:12:34):", "Speaker 1 (12:34): text"
	regexp.MustCompile(`^(?P<name>[^\[\]():]{1,60}?)\s*\((?P<time>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?)\):\s*(?P<text>.*)$`),
	// Rev, older: "Ada Lovelace: (00:12:34) text"
	regexp.MustCompile(`^(?P<name>[^\[\]():]{1,60}?):\s*\((?P<time>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?)\)\s*(?P<text>.*)$`),
	// Descript and many podcast sites: "[00:12:34] Ada Lovelace: text"
	regexp.MustCompile(`^\[(?P<time>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?)\]\s*(?P<name>[^\[\]:]{1,60}?):\s*(?P<text>.*)$`),
	// Otter: "Ada Lovelace  00:12:34" (two spaces or a tab), the words below
	regexp.MustCompile(`^(?P<name>\S.{0,59}?)(?:\s{2,}|\t)(?P<time>\d{1,2}(?::\d{2}){1,2})(?P<text>)\s*$`),
	// A bracketed time before the words, unnamed: "[00:12:34] text"
	regexp.MustCompile(`^\[(?P<time>\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?)\](?:\s+(?P<text>.*))?$`),
	// A time alone on its line (YouTube's "Show transcript", copied)
	regexp.MustCompile(`^(?P<time>\d{1,2}(?::\d{2}){1,2})$`),
}

// turn is one speaker's turn in a text transcript.
type turn struct {
	line    int
	start   int
	speaker string
	text    []string
}

// frontMatterKeys are the front matter's keys a text transcript may use,
// by what they set.
var frontMatterKeys = map[string]string{
	"title": "title", "video_id": "id", "video": "id", "id": "id", "youtube": "id", "url": "id",
	"date": "published", "published": "published", "channel": "channel", "show": "channel", "podcast": "channel",
	"channel_id": "channel_id", "description": "description", "language": "language", "lang": "language", "tags": "tags",
	"thumbnail": "thumbnail", "image": "thumbnail",
}

// youTubeID finds a video id in a front matter value: the id itself or a
// YouTube URL (watch?v=ID, youtu.be/ID).
var youTubeID = regexp.MustCompile(`(?:^|v=|youtu\.be/|/embed/|/shorts/|/live/)([A-Za-z0-9_-]{11})(?:$|[&?#/])`)

// textTranscript reads a text transcript of timestamped speaker turns, with
// an optional front matter block (--- key: value ---) naming its video,
// title, date and channel. opts' video id and title win over the front
// matter's, which wins over the file name's. Each turn runs to the next
// one's start; its words are cut at sentences into cues spread over that
// time, then merged into dataset-sized segments, one speaker each.
func textTranscript(r io.Reader, path string, opts Options) iter.Seq2[catalog.Record, error] {
	name := path // for positions
	cues := func(yield func(catalog.Record, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64*1024), maxLine)
		line := 0
		rowErr := func(l int, err error) {
			yield(catalog.Record{}, &catalog.RowError{Pos: fmt.Sprintf("%s:%d", name, l), Err: err})
		}

		// The front matter: every key is its own record, so a bad value
		// is reported at its line.
		var described []catalog.Record
		videoID, title := "", ""
		inFront, started := false, false
		var cur *turn
		emit := func(t *turn, end int) bool {
			for _, c := range turnCues(t, end) {
				c.Pos, c.VideoID, c.Title = fmt.Sprintf("%s:%d", name, t.line), videoID, title
				if !yield(c, nil) {
					return false
				}
			}
			return true
		}
		for sc.Scan() {
			line++
			b := sc.Bytes()
			if line == 1 {
				b = bytes.TrimPrefix(b, []byte("\uFEFF"))
			}
			s := strings.TrimSpace(string(b))
			switch {
			case !started && !inFront && s == "":
				continue
			case !started && !inFront && s == "---" && cur == nil:
				inFront = true
				continue
			case inFront && (s == "---" || s == "..."):
				inFront, started = false, true
				continue
			case inFront:
				if s == "" || strings.HasPrefix(s, "#") {
					continue
				}
				key, value, ok := strings.Cut(s, ":")
				if !ok {
					rowErr(line, fmt.Errorf("front matter line %q is not key: value", excerpt.Bytes(s, 40)))
					return
				}
				key = strings.ToLower(strings.TrimSpace(key))
				value = unquote(strings.TrimSpace(value))
				rec := catalog.Record{Pos: fmt.Sprintf("%s:%d", name, line), InfoOnly: true, Info: &catalog.VideoInfo{}}
				switch frontMatterKeys[key] {
				case "id":
					m := youTubeID.FindStringSubmatch(value)
					if m == nil {
						rowErr(line, fmt.Errorf("%s %q is not a YouTube video id or URL", key, excerpt.Bytes(value, 40)))
						return
					}
					videoID = m[1]
					continue
				case "title":
					title = value
					continue
				case "published":
					rec.Info.Published = value
				case "channel":
					rec.Info.Channel = value
				case "channel_id":
					rec.Info.ChannelID = value
				case "description":
					rec.Info.Description = value
				case "language":
					rec.Info.Language = value
				case "thumbnail":
					rec.Thumbnail = value
				case "tags":
					for _, t := range strings.Split(strings.Trim(value, "[]"), ",") {
						rec.Info.Tags = append(rec.Info.Tags, unquote(strings.TrimSpace(t)))
					}
				default:
					continue // keys of other tools
				}
				described = append(described, rec)
				continue
			}
			if !started {
				started = true
			}
			if t, ok := parseTurn(s); ok {
				if cur == nil {
					id, t2, err := textVideo(path, opts, videoID, title)
					if err != nil {
						yield(catalog.Record{}, err)
						return
					}
					videoID, title = id, t2
					for _, rec := range described {
						rec.VideoID = videoID
						if !yield(rec, nil) {
							return
						}
					}
					if title != "" {
						// The title, as the video's description says it.
						if !yield(catalog.Record{Pos: fmt.Sprintf("%s:1", name), VideoID: videoID, Title: title, InfoOnly: true}, nil) {
							return
						}
					}
				}
				t.line = line
				if cur != nil && t.start < cur.start {
					rowErr(line, fmt.Errorf("turn at %s comes before the previous one at %s", clock(t.start), clock(cur.start)))
					return
				}
				// The previous turn ends where this one starts.
				if cur != nil && !emit(cur, t.start) {
					return
				}
				cur = &t
				continue
			}
			if s == "" {
				continue
			}
			if cur == nil {
				rowErr(line, errors.New("text before the first timestamped turn (lines like “Ada (00:12:34):”, “[00:12:34] Ada: …” or “Ada  00:12:34”)"))
				return
			}
			cur.text = append(cur.text, s)
		}
		if err := sc.Err(); err != nil {
			rowErr(line+1, err)
			return
		}
		if inFront {
			rowErr(line, errors.New("the front matter has no closing ---"))
			return
		}
		if cur == nil {
			rowErr(1, errors.New("no timestamped turns (lines like “Ada (00:12:34):”, “[00:12:34] Ada: …” or “Ada  00:12:34”)"))
			return
		}
		// The last turn runs as long as its words take to say.
		emit(cur, cur.start+speakingTime(strings.Join(cur.text, " ")))
	}
	return mergeSpeech(cues)
}

// textVideo settles the video of a text transcript: options first, then
// its front matter, then its file name.
func textVideo(path string, opts Options, id, title string) (string, string, error) {
	if opts.Title != "" {
		title = opts.Title
	}
	if opts.VideoID != "" {
		return opts.VideoID, title, nil
	}
	if catalog.ValidVideoID(id) {
		return id, title, nil
	}
	fid, ftitle, err := videoOf(path, opts)
	if err != nil {
		return "", "", fmt.Errorf("%s: cannot tell the video id: give it as video_id in the front matter, in the file name (ID.txt, Title [ID].txt) or with -video ID", path)
	}
	if title == "" {
		title = ftitle
	}
	return fid, title, nil
}

// parseTurn reads a line that starts a turn.
func parseTurn(s string) (turn, bool) {
	for _, p := range turnPatterns {
		m := p.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		var t turn
		for i, g := range p.SubexpNames() {
			switch g {
			case "name":
				t.speaker = strings.TrimSpace(m[i])
			case "time":
				sec, err := clockSeconds(m[i])
				if err != nil {
					return turn{}, false
				}
				t.start = sec
			case "text":
				if s := strings.TrimSpace(m[i]); s != "" {
					t.text = append(t.text, s)
				}
			}
		}
		return t, true
	}
	return turn{}, false
}

// clockSeconds reads 12:34, 1:02:03 or 00:12:34.5 as whole seconds.
func clockSeconds(s string) (int, error) {
	s, _, _ = strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	parts := strings.Split(s, ":")
	sec := 0
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || (i > 0 && n > 59) {
			return 0, fmt.Errorf("%q is not a time", s)
		}
		sec = sec*60 + n
	}
	return sec, nil
}

func clock(sec int) string {
	return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// speakingTime estimates how long words take to say: about 15 characters
// a second.
func speakingTime(text string) int {
	return max(1, utf8.RuneCountInString(text)/15)
}

// turnCues cuts a turn's words into cues at sentence ends (or every 200
// characters), each given its share of the turn's time by its place in it.
func turnCues(t *turn, end int) []catalog.Record {
	text := strings.Join(strings.Fields(strings.Join(t.text, " ")), " ")
	if text == "" {
		return nil
	}
	end = max(end, t.start)
	var pieces []string
	for len(text) > 0 {
		cut := sentenceEnd(text)
		pieces = append(pieces, strings.TrimSpace(text[:cut]))
		text = strings.TrimSpace(text[cut:])
	}
	total := 0
	for _, p := range pieces {
		total += len(p)
	}
	var cues []catalog.Record
	done := 0
	for _, p := range pieces {
		start := t.start + (end-t.start)*done/total
		done += len(p)
		cues = append(cues, catalog.Record{Start: start, End: t.start + (end-t.start)*done/total, Text: p, Speaker: t.speaker})
	}
	return cues
}

// sentenceEnd is where the first sentence of s ends: after ., ! or ? and
// a space, or at a space before 200 bytes, or at the end.
func sentenceEnd(s string) int {
	lastSpace := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', '!', '?':
			if i+1 < len(s) && s[i+1] == ' ' {
				return i + 1
			}
		case ' ':
			lastSpace = i
		}
		if i >= 200 && lastSpace > 0 {
			return lastSpace
		}
	}
	return len(s)
}

// unquote removes the quotes YAML allows around a value.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}
