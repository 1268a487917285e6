package search

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Index is what search reads of a store: a full-text index over segments
// and video titles, and the few facts about them a results page shows.
// internal/catalog implements it over SQLite FTS5; a second backend
// (PostgreSQL full-text search, a distributed engine) implements the same
// methods. Every method takes a parsed Query, never a backend's own query
// syntax, and scores are lower-is-better, as BM25 is reported by FTS5.
//
// An Index marks matched words in the text it returns with MarkStart and
// MarkEnd. A query the backend cannot run is reported as an error wrapping
// ErrBadQuery.
type Index interface {
	// Matches returns up to limit segments matching q within f, newest
	// first (the highest segment id first), without scoring them.
	Matches(ctx context.Context, q Query, f Filter, limit int) ([]Posting, error)
	// MoreVideos returns up to limit videos, other than those in skip,
	// holding a segment below id below that matches q within f, newest
	// first: the videos a grouped page lists after those its walk of the
	// newest CountCap matches found.
	MoreVideos(ctx context.Context, q Query, f Filter, below int64, skip map[string]bool, limit int) ([]string, error)
	// VideosBelow reports which of videos hold a segment with an id below
	// below: those a walk down to below has not seen whole.
	VideosBelow(ctx context.Context, videos []string, below int64) (map[string]bool, error)
	// Lines returns up to limit segments within f (which narrows by
	// something), newest first, whatever they say.
	Lines(ctx context.Context, f Filter, limit int) ([]Posting, error)
	// TitleMatches returns up to limit videos within f whose title
	// matches q, best first.
	TitleMatches(ctx context.Context, q Query, f Filter, limit int) ([]TitleMatch, error)
	// Score scores every segment matching q within f whose id is at least
	// from, in no particular order.
	Score(ctx context.Context, q Query, f Filter, from int64) ([]Scored, error)
	// Best returns the best limit segments matching q within f, best
	// first, scored as Score scores them and marked as Highlight marks
	// them: exactly the first ones an
	// exhaustive ranking gives, or nearly (each backend says how near),
	// without scoring every match. It may return fewer than limit when it
	// has no more it can vouch for. It reports ErrNoBest for a query it
	// cannot answer so (a prefix, say) or while it lacks what it needs;
	// with limit 0 it only reports whether it can answer q.
	Best(ctx context.Context, q Query, f Filter, limit int) ([]Scored, error)
	// ScoreSegments scores those of the segments ids that match q, in no
	// particular order, each with its text marked when mark is set.
	ScoreSegments(ctx context.Context, q Query, ids []int64, mark bool) ([]Scored, error)
	// Highlight returns the text of each of the segments ids that matches
	// q, its matched words marked.
	Highlight(ctx context.Context, q Query, ids []int64) (map[int64]string, error)
	// Segments returns the segments with the given ids (in no particular
	// order; an unknown id is left out).
	Segments(ctx context.Context, ids []int64) ([]Segment, error)
	// FirstSegment returns a video's first segment, and false for a video
	// without any.
	FirstSegment(ctx context.Context, videoID string) (Segment, bool, error)
	// Videos returns what results show of the given videos (in no
	// particular order; an unknown id is left out).
	Videos(ctx context.Context, ids []string) ([]Video, error)
	// InVideo returns every segment of a video that matches q, in time
	// order, each with its text marked.
	InVideo(ctx context.Context, videoID string, q Query) ([]MarkedSegment, error)

	// Described reports whether any video names its channel or its day
	// of publication: without, results have no such facets to count.
	Described(ctx context.Context) (bool, error)
	// Speakers counts the speakers of the segments ids, most first, at
	// most limit of them; none when the collection names no speaker.
	Speakers(ctx context.Context, ids []int64, limit int) ([]Count, error)
	// Speaker returns the name of a speaker as the collection writes it,
	// whatever the case of name, and false when no segment has it.
	Speaker(ctx context.Context, name string) (string, bool, error)

	// WordDocs returns the number of segments holding word (as the index
	// normalises it), counting no further than limit.
	WordDocs(ctx context.Context, word string, limit int) (int, error)
	// Terms returns the index's terms (stems) starting with prefix that
	// are in at least minDocs segments.
	Terms(ctx context.Context, prefix string, minDocs int) ([]TermDocs, error)
	// SurfaceForms returns the words of up to limit segments that the
	// index reads as words starting with stem, as they are written.
	SurfaceForms(ctx context.Context, stem string, limit int) ([]string, error)
}

// ErrNoBest is reported by Index.Best for a query it cannot rank without
// scoring every match: the caller ranks another way.
var ErrNoBest = errors.New("search: no best matches for this query")

// Highlight markers: control characters, which the importer removes from
// transcript text, so in text an Index returns they can only be marks.
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// Filter narrows a search to part of the collection; the zero Filter is
// everything.
type Filter struct {
	Videos  []string // only these videos, when not empty
	Repeat  int64    // only the copies of this repeated text, when not 0
	Channel string   // only this channel's videos (its id), when not ""
	Speaker string   // only what this speaker says, when not ""
	// After and Before bound the videos' publication day, YYYY-MM-DD,
	// both inclusive; a bound leaves out videos without a date.
	After, Before string
}

// Narrowed reports whether f narrows the search by video metadata or
// speaker.
func (f Filter) Narrowed() bool {
	return f.Channel != "" || f.Speaker != "" || f.After != "" || f.Before != ""
}

// Posting is one matching segment and its video.
type Posting struct {
	Segment int64
	Video   string
	// Repeat is the cluster of the segment's text when it is repeated text
	// (a sponsor read, an intro, an outro said in many videos), else 0.
	Repeat int64
}

// TitleMatch is a video whose title matches, with its score.
type TitleMatch struct {
	Video string
	Score float64
}

// Scored is a matching segment with its score and, when asked for, its
// text with the matches marked.
type Scored struct {
	Segment int64
	Video   string
	Repeat  int64 // as in Posting
	Score   float64
	Marked  string
}

// Segment is one line of a transcript.
type Segment struct {
	ID      int64
	VideoID string
	Start   int
	End     int
	Text    string
	Speaker string // "" when the transcript does not say
	Chapter string // the title of the chapter it is in, "" when none
}

// Video is what results show of a video.
type Video struct {
	ID         string
	Title      string // may be empty
	Thumbnail  string
	ImportedAt time.Time
	ChannelID  string
	Channel    string
	Published  string // YYYY-MM-DD, "" when unknown
}

// MarkedSegment is a segment whose text matches, with the matches marked.
type MarkedSegment struct {
	Segment
	Marked string
}

// TermDocs is a term of the index and the number of segments holding it.
type TermDocs struct {
	Term string
	Docs int
}

// Count is a value and how many matches have it.
type Count struct {
	Value string
	N     int
}

// MarkedWords returns the stretches of text an Index marked (between
// MarkStart and MarkEnd), in order.
func MarkedWords(text string) []string {
	var words []string
	for {
		_, rest, ok := strings.Cut(text, MarkStart)
		if !ok {
			return words
		}
		word, after, _ := strings.Cut(rest, MarkEnd)
		words = append(words, word)
		text = after
	}
}
