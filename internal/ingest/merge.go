package ingest

import (
	"iter"
	"strings"

	"github.com/transcripts/site/internal/catalog"
)

// Segments of merged captions are about as long as the dataset's.
const (
	segmentMin = 360 // characters: a segment is closed once it reaches this
	segmentMax = 490 // characters: a cue that would pass this starts a new one
)

// Merge turns the cues of one video's captions (a few words and seconds
// each) into segments of about 360–490 characters like the dataset's,
// keeping the cues' timings: a segment starts with its first cue and ends
// with its last, and ends wherever the speaker changes. Rolling
// auto-captions, where each cue repeats the end of the one before, are
// reduced to the words they add. Errors and records that only describe
// the video pass through.
func Merge(cues iter.Seq2[catalog.Record, error]) iter.Seq2[catalog.Record, error] {
	return merge(cues, true)
}

// mergeSpeech is Merge for transcripts of speech (Whisper, podcast
// transcripts, text), which never repeat a line the way rolling captions
// do: a phrase said twice is kept.
func mergeSpeech(cues iter.Seq2[catalog.Record, error]) iter.Seq2[catalog.Record, error] {
	return merge(cues, false)
}

func merge(cues iter.Seq2[catalog.Record, error], dedupe bool) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		var seg catalog.Record
		var words []string // of the open segment
		var recent []string
		open := false
		flush := func() bool {
			if !open {
				return true
			}
			open = false
			seg.Text = strings.Join(words, " ")
			words = words[:0]
			return yield(seg, nil)
		}
		for cue, err := range cues {
			if err != nil {
				if !yield(catalog.Record{}, err) {
					return
				}
				continue
			}
			if cue.InfoOnly {
				if !yield(cue, nil) {
					return
				}
				continue
			}
			// A new voice starts a new segment, unless it speaks in the
			// open segment's first second: two segments may not share a
			// start, so it joins (and the segment keeps its speaker).
			if open && cue.Speaker != seg.Speaker && cue.Start > seg.Start {
				if !flush() {
					return
				}
				recent = recent[:0]
			}
			added := strings.Fields(cue.Text)
			if dedupe {
				added = newWords(recent, added)
			}
			recent = append(recent, added...)
			if len(recent) > 64 {
				recent = recent[len(recent)-64:]
			}
			if len(added) == 0 {
				if open && cue.End > seg.End {
					seg.End = cue.End
				}
				continue
			}
			text := strings.Join(added, " ")
			// A cue whose start second is the open segment's joins it,
			// whatever the length: two segments may not share a start.
			if open && cue.Start > seg.Start && length(words)+1+len(text) > segmentMax {
				if !flush() {
					return
				}
			}
			if !open {
				seg = cue
				open = true
			}
			words = append(words, added...)
			seg.End = max(seg.End, cue.End)
			if length(words) >= segmentMin {
				if !flush() {
					return
				}
			}
		}
		flush()
	}
}

// newWords returns the words of cue that do not repeat the end of what was
// said before: the longest overlap of recent's end and cue's start is
// dropped when it is a rolling caption's repeated line (3 words or more)
// or a whole repeated cue. A word or two said twice ("the the") is speech.
func newWords(recent, cue []string) []string {
	for k := min(len(recent), len(cue)); k > 0; k-- {
		if (k >= 3 || (k == len(cue) && k >= 2)) && equalFold(recent[len(recent)-k:], cue[:k]) {
			return cue[k:]
		}
	}
	return cue
}

func equalFold(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// length is the length of words joined by spaces.
func length(words []string) int {
	n := 0
	for _, w := range words {
		n += len(w) + 1
	}
	return max(0, n-1)
}
