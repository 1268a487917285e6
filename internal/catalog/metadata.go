package catalog

import (
	"github.com/transcripts/site/internal/excerpt"

	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Bounds on what a source may say about a video: generous for real data,
// small enough that no row can bloat a page.
const (
	maxSpeaker     = 100   // bytes of a speaker's name
	maxChannel     = 200   // bytes of a channel's name
	maxDescription = 10000 // bytes (YouTube allows 5,000 characters)
	maxTags        = 100
	maxTag         = 100 // bytes
	maxLanguage    = 35  // bytes, the longest BCP 47 tag in use
	maxChapters    = 500
	maxChapter     = 200 // bytes of a chapter's title
)

var channelIDPattern = regexp.MustCompile(`^[A-Za-z0-9_@.-]{1,100}$`)

// ValidChannelID reports whether id can be a channel's key: YouTube's
// channel ids and handles, and the slugs derived from names.
func ValidChannelID(id string) bool {
	if channelIDPattern.MatchString(id) {
		return true
	}
	return id != "" && len(id) <= 100 && id == ChannelSlug(id)
}

// ChannelSlug derives a channel's key from its name when the source gives
// no id: "The Changelog: Software" → "the-changelog-software".
func ChannelSlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if b.Len()+utf8.RuneLen(r) > 100 {
				break
			}
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// clean validates what a source says about a video and returns it as it
// is stored.
func (in VideoInfo) clean() (VideoInfo, error) {
	out := VideoInfo{
		Channel:     clip(cleanText(in.Channel), maxChannel),
		ChannelID:   strings.TrimSpace(in.ChannelID),
		Description: clip(cleanDescription(in.Description), maxDescription),
		Language:    clip(cleanText(in.Language), maxLanguage),
		Duration:    max(0, in.Duration),
	}
	// A missing id is derived from the name, and a missing name from the
	// id, when the video is written: another record may say them.
	if out.ChannelID != "" && !ValidChannelID(out.ChannelID) {
		return out, fmt.Errorf("channel_id %q is not a channel id (letters, digits, _ and -)", excerpt.Bytes(out.ChannelID, 40))
	}
	var err error
	if out.Published, err = cleanDate(in.Published); err != nil {
		return out, err
	}
	for _, t := range in.Tags {
		t = clip(cleanText(t), maxTag)
		if t != "" && len(out.Tags) < maxTags && !slices.ContainsFunc(out.Tags, func(s string) bool { return strings.EqualFold(s, t) }) {
			out.Tags = append(out.Tags, t)
		}
	}
	if in.Chapters != nil {
		out.Chapters = []Chapter{}
		for _, ch := range in.Chapters {
			if ch.Start < 0 {
				return out, fmt.Errorf("chapter %q starts at a negative second", excerpt.Bytes(ch.Title, 40))
			}
			ch.Title = clip(cleanText(ch.Title), maxChapter)
			if ch.Title != "" && len(out.Chapters) < maxChapters {
				out.Chapters = append(out.Chapters, ch)
			}
		}
		slices.SortStableFunc(out.Chapters, func(a, b Chapter) int { return a.Start - b.Start })
		// Two chapters cannot start at one second: the first is kept.
		out.Chapters = slices.CompactFunc(out.Chapters, func(a, b Chapter) bool { return a.Start == b.Start })
	}
	return out, nil
}

// cleanDate reads a publication date as sources write it: 2024-03-05,
// yt-dlp's 20240305, or an RFC 3339 time (its day in its own zone).
func cleanDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{time.DateOnly, "20060102", time.RFC3339, time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1800 || t.Year() > 9999 {
				break
			}
			return t.Format(time.DateOnly), nil
		}
	}
	return "", fmt.Errorf("published %q is not a date like 2024-03-05", excerpt.Bytes(s, 40))
}

// cleanDescription keeps a description's line breaks (at most one blank
// line in a row) and turns other control characters into spaces.
func cleanDescription(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		if r != '\n' && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimSpace(s[:n])
}
