package catalog

import (
	"context"
	"iter"
	"slices"
	"time"
)

// What another store's import shares with this one: the cleaning of
// records, the merging of what an import says about a video over what is
// stored, and the shingles of repeated-text detection. Keeping them here
// keeps every backend's import reading and storing records alike.

// Clean reads records as Import does, cleaning and splitting each; a bad
// row stops the reading with its *RowError unless opts.SkipInvalid, when
// it is counted in stats instead.
func Clean(ctx context.Context, records iter.Seq2[Record, error], opts ImportOptions, stats *ImportStats) iter.Seq2[Record, error] {
	return rows(ctx, records, opts, stats)
}

// VideoFacts is what is stored about a video besides its segments.
type VideoFacts struct {
	Title, Thumbnail string
	Info             VideoInfo // Chapters unused
}

// Equal reports whether f and o store the same.
func (f VideoFacts) Equal(o VideoFacts) bool {
	return storedVideo{f.Title, f.Thumbnail, f.Info}.equal(storedVideo{o.Title, o.Thumbnail, o.Info})
}

// ImportedVideos collects what an import says about its videos, in the
// order first seen, as Import does.
type ImportedVideos struct{ set videoSet }

// Add notes what a cleaned record says about its video.
func (v *ImportedVideos) Add(r Record) { v.set.add(r) }

// IDs returns the videos seen, in the order first seen.
func (v *ImportedVideos) IDs() []string { return slices.Clone(v.set.order) }

// Merge returns stored with what the import says about video id laid
// over it, as Import stores it; segments reports whether the import holds
// segments of it; chapters are the import's chapters of it, nil when it
// does not say.
func (v *ImportedVideos) Merge(id string, stored VideoFacts) (merged VideoFacts, segments bool, chapters []Chapter) {
	m := v.set.meta[id]
	if m == nil {
		return stored, false, nil
	}
	s := storedVideo{stored.Title, stored.Thumbnail, stored.Info}.merged(id, m)
	return VideoFacts{s.title, s.thumbnail, s.info}, m.segments, m.info.Chapters
}

// ImportedAt returns when the import's records say video id was first
// imported elsewhere (Record.ImportedAt), zero when they do not.
func (v *ImportedVideos) ImportedAt(id string) time.Time {
	if m := v.set.meta[id]; m != nil {
		return m.importedAt
	}
	return time.Time{}
}

// TagsJSON is how tags are stored: a JSON array, never null.
func TagsJSON(tags []string) string { return tagsJSON(tags) }

// ParseTags reads stored tags; anything but a JSON array of strings is no
// tags.
func ParseTags(s string) []string { return parseTags(s) }

// Shingles returns the hashes of the stored shingles of text, as the
// repeated-text detection of Import computes them.
func Shingles(text string) []int64 { return shingles(text) }

// Thresholds of repeated-text detection (see repeats.go): a shingle said
// in RepeatVideos videos or more is repeated, and a segment at least
// RepeatShare of whose stored shingles are repeated is repeated text.
const (
	RepeatVideos = repeatVideos
	RepeatShare  = repeatShare
)
