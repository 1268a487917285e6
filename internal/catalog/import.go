package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/transcripts/site/internal/excerpt"
)

// Record is one transcript segment as an importer reads it, before
// cleaning. Pos says where it came from ("file.jsonl:12") for error
// messages.
type Record struct {
	Pos       string
	VideoID   string
	Title     string
	Thumbnail string
	Text      string
	Start     int
	End       int
	Speaker   string // who says it, as the source names them; "" when it does not
	// Info is what the source says about the video besides its title and
	// thumbnail, or nil. Several records may point at one Info; nothing
	// changes it.
	Info *VideoInfo
	// InfoOnly marks a record that describes its video and holds no
	// segment (a yt-dlp .info.json, a transcript's front matter): Text,
	// Start, End and Speaker are unused.
	InfoOnly bool
	// ImportedAt, when not zero, is when the video was first imported
	// elsewhere (a catalog being copied): it is kept, where an import
	// otherwise records its own time.
	ImportedAt time.Time
}

// VideoInfo is what a source says about a video: yt-dlp's .info.json, a
// transcript's front matter, a dataset's optional columns. An empty field
// is unknown, and an import keeps what the catalog already knows.
type VideoInfo struct {
	ChannelID   string // YouTube's channel id; "" derives one from Channel
	Channel     string
	Published   string // 2024-03-05, yt-dlp's 20240305, or RFC 3339; stored as 2024-03-05
	Description string
	Tags        []string
	Language    string
	Duration    int       // seconds
	Chapters    []Chapter // nil when the source does not say
}

// RowError is a record that cannot be imported, with its position.
type RowError struct {
	Pos string
	Err error
}

func (e *RowError) Error() string { return e.Pos + ": " + e.Err.Error() }
func (e *RowError) Unwrap() error { return e.Err }

var videoIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)

// ValidVideoID reports whether id has the shape of a YouTube video id:
// 11 characters of [A-Za-z0-9_-].
func ValidVideoID(id string) bool { return videoIDPattern.MatchString(id) }

// DefaultThumbnail is the thumbnail YouTube serves for every video, used
// when the data has none.
func DefaultThumbnail(videoID string) string {
	return "https://i.ytimg.com/vi/" + videoID + "/hqdefault.jpg"
}

// WatchURL is the YouTube page of a video, at sec seconds when sec > 0.
func WatchURL(videoID string, sec int) string {
	u := "https://www.youtube.com/watch?v=" + url.QueryEscape(videoID)
	if sec > 0 {
		u += "&t=" + strconv.Itoa(sec) + "s"
	}
	return u
}

// clean validates r and returns it as it is stored: text trimmed and free
// of control characters, the thumbnail an https URL.
func (r Record) clean() (Record, error) {
	if r.VideoID == "" {
		return r, fmt.Errorf("missing video_id")
	}
	if !ValidVideoID(r.VideoID) {
		return r, fmt.Errorf("video_id %q is not an 11-character YouTube id", excerpt.Bytes(r.VideoID, 40))
	}
	if r.Info != nil {
		info, err := r.Info.clean()
		if err != nil {
			return r, err
		}
		r.Info = &info
	}
	r.Title = cleanText(r.Title)
	r.Thumbnail = strings.TrimSpace(r.Thumbnail)
	if !strings.HasPrefix(r.Thumbnail, "https://") || strings.ContainsAny(r.Thumbnail, " \t\n\"'<>") ||
		!utf8.ValidString(r.Thumbnail) || strings.IndexFunc(r.Thumbnail, unicode.IsControl) >= 0 {
		r.Thumbnail = DefaultThumbnail(r.VideoID)
	}
	if r.InfoOnly {
		return r, nil
	}
	if r.Start < 0 || r.End < 0 {
		return r, fmt.Errorf("negative seconds (start %d, end %d)", r.Start, r.End)
	}
	if r.End < r.Start {
		return r, fmt.Errorf("end_second %d is before start_second %d", r.End, r.Start)
	}
	r.Text = cleanText(r.Text)
	if r.Text == "" {
		return r, fmt.Errorf("empty text")
	}
	r.Speaker = clip(cleanText(r.Speaker), maxSpeaker)
	return r, nil
}

// cleanText trims s, turns control characters (which could smuggle
// snippet markers or break a terminal) into spaces, and stores it in NFKC:
// full-width ｇｒｏｗｔｈ and the ligature in ﬁne are the letters they stand
// for, so the index finds them as the query parser reads them.
func cleanText(s string) string {
	// Bytes that are not UTF-8 (a Latin-1 CSV) become U+FFFD: every store
	// keeps text, and PostgreSQL refuses anything else.
	s = norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD"))
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// MaxSegmentChars bounds the text of one stored segment. The dataset's
// segments hold 360–490 characters; a row far longer (880 KB of one word
// repeated made every search of it take 14 s, highlighting being quadratic
// in the matches of one segment) is stored as consecutive segments of at
// most this many characters, cut between words, their start seconds
// spread evenly over the row's time span.
const MaxSegmentChars = 4000

// split returns r as the segments it is stored as: itself, or pieces of
// at most MaxSegmentChars characters. Segments are keyed by their start
// second, so a row whose time span has fewer seconds than it needs pieces
// is refused.
func (r Record) split() ([]Record, error) {
	if utf8.RuneCountInString(r.Text) <= MaxSegmentChars {
		return []Record{r}, nil
	}
	texts := splitText(r.Text, MaxSegmentChars)
	n := len(texts)
	if span := r.End - r.Start; span < n {
		return nil, fmt.Errorf("text of %d characters is longer than %d and must be split into %d segments, but its %d–%d s span has too few seconds to start them apart; split the row",
			utf8.RuneCountInString(r.Text), MaxSegmentChars, n, r.Start, r.End)
	}
	pieces := make([]Record, n)
	for i, text := range texts {
		p := r
		p.Text = text
		p.Start = r.Start + i*(r.End-r.Start)/n
		p.End = r.Start + (i+1)*(r.End-r.Start)/n
		pieces[i] = p
	}
	return pieces, nil
}

// splitText cuts s into pieces of at most max characters, at the last
// space of each when there is one.
func splitText(s string, max int) []string {
	var out []string
	for utf8.RuneCountInString(s) > max {
		cut, n, lastSpace := 0, 0, -1
		for i, c := range s {
			if n == max {
				cut = i
				break
			}
			if c == ' ' {
				lastSpace = i
			}
			n++
		}
		if lastSpace > 0 {
			cut = lastSpace
		}
		out = append(out, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	return append(out, s)
}

// The triggers that keep segments_fts in step with rows written by other
// writers. They are those of migration 0001, dropped and recreated by
// Import (a test checks they stay identical).
const (
	insertTrigger = `CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
    INSERT INTO segments_fts (rowid, text) VALUES (new.id, new.text);
END`
	updateTrigger = `CREATE TRIGGER segments_au AFTER UPDATE OF text ON segments BEGIN
    INSERT INTO segments_fts (segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO segments_fts (rowid, text) VALUES (new.id, new.text);
END`
)

// ImportOptions tune an import.
type ImportOptions struct {
	// SkipInvalid counts and reports bad rows (RowError) instead of
	// stopping at the first. Other errors still stop the import.
	SkipInvalid bool
}

// MaxReportedProblems is how many skipped rows ImportStats lists.
const MaxReportedProblems = 20

// ImportStats summarises an import.
type ImportStats struct {
	Segments      int // valid segments read
	Inserted      int // new segments
	Updated       int // segments whose text or end changed
	Unchanged     int // segments already stored as read
	Videos        int // distinct videos read
	VideosAdded   int
	VideosUpdated int // videos whose segments, metadata or chapters changed
	// VideosUnchanged are videos read and already stored as read.
	VideosUnchanged int
	// InfoSkipped counts videos described (a yt-dlp .info.json) that have
	// no transcript in the catalog or the import: they are not added.
	InfoSkipped int
	Skipped     int         // bad rows skipped (with SkipInvalid)
	Problems    []*RowError // the first MaxReportedProblems of them
	Elapsed     time.Duration
}

func (s *ImportStats) skip(err *RowError) {
	s.Skipped++
	if len(s.Problems) < MaxReportedProblems {
		s.Problems = append(s.Problems, err)
	}
}

// videoMeta is what an import learns about a video from its rows.
type videoMeta struct {
	title, thumbnail string
	importedAt       time.Time // Record.ImportedAt, the first one given
	info             VideoInfo
	segments         bool // the import holds segments of it
	changed          bool // some of its segments were added or changed
}

// videoSet collects the videos of an import in the order first seen.
type videoSet struct {
	meta        map[string]*videoMeta
	order       []string
	metaChanged bool // a video was added, or what is known of one changed
}

func (vs *videoSet) add(r Record) *videoMeta {
	if vs.meta == nil {
		vs.meta = map[string]*videoMeta{}
	}
	m := vs.meta[r.VideoID]
	if m == nil {
		m = &videoMeta{}
		vs.meta[r.VideoID] = m
		vs.order = append(vs.order, r.VideoID)
	}
	// The first non-empty title and real thumbnail win, except that a
	// title a video's description gives (yt-dlp's .info.json, front
	// matter) wins over one from rows or file names.
	if m.title == "" || (r.InfoOnly && r.Title != "") {
		m.title = r.Title
	}
	if m.thumbnail == "" || (m.thumbnail == DefaultThumbnail(r.VideoID) && r.Thumbnail != m.thumbnail) {
		m.thumbnail = r.Thumbnail
	}
	m.segments = m.segments || !r.InfoOnly
	if m.importedAt.IsZero() {
		m.importedAt = r.ImportedAt
	}
	if in := r.Info; in != nil {
		// As with titles, the first source to say wins, field by field.
		first := func(dst *string, v string) {
			if *dst == "" {
				*dst = v
			}
		}
		first(&m.info.ChannelID, in.ChannelID)
		first(&m.info.Channel, in.Channel)
		first(&m.info.Published, in.Published)
		first(&m.info.Description, in.Description)
		first(&m.info.Language, in.Language)
		if m.info.Tags == nil {
			m.info.Tags = in.Tags
		}
		if m.info.Duration == 0 {
			m.info.Duration = in.Duration
		}
		if m.info.Chapters == nil {
			m.info.Chapters = in.Chapters
		}
	}
	return m
}

// rows reads records, cleaning each; a bad row stops the reading with its
// error unless opts.SkipInvalid, when it is counted in stats instead.
func rows(ctx context.Context, records iter.Seq2[Record, error], opts ImportOptions, stats *ImportStats) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for rec, err := range records {
			if err == nil {
				err = ctx.Err()
			}
			if err == nil {
				var cerr error
				if rec, cerr = rec.clean(); cerr != nil {
					err = &RowError{Pos: rec.Pos, Err: cerr}
				}
			}
			var pieces []Record
			if err == nil {
				var serr error
				if pieces, serr = rec.split(); serr != nil {
					err = &RowError{Pos: rec.Pos, Err: serr}
				}
			}
			var rowErr *RowError
			if err != nil && opts.SkipInvalid && errors.As(err, &rowErr) {
				stats.skip(rowErr)
				continue
			}
			if err != nil {
				yield(rec, err)
				return
			}
			for _, p := range pieces {
				if !yield(p, nil) {
					return
				}
			}
		}
	}
}

// Import stores every record in one transaction: either all of them land
// or, on the first bad record (unless opts.SkipInvalid), read error or
// cancelled ctx, none do and the database is exactly as before. A segment
// is keyed by video and start second, so importing the same records twice
// changes nothing.
func (c *Catalog) Import(ctx context.Context, records iter.Seq2[Record, error], opts ImportOptions) (stats ImportStats, err error) {
	began := time.Now()
	defer func() {
		// A cancelled context also rolls the transaction back underneath
		// the import, whose next statement then fails as closed: the
		// cancellation is the cause to report.
		if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("catalog: import: %w (%v)", ctx.Err(), err)
		}
	}()
	// Whatever becomes of the transaction, the write-ahead log it grew is
	// folded back and truncated: a reader (the site) keeps the database
	// open, so the log would otherwise stay its size until every
	// connection closed. Runs after the rollback below.
	defer c.Checkpoint(context.WithoutCancel(ctx))
	var videos videoSet
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("catalog: import: %w", err)
	}
	defer tx.Rollback()

	// New segments are indexed in one INSERT … SELECT at the end rather
	// than row by row: FTS5 flushes its pending terms at every statement
	// that writes through a trigger, which makes a row-by-row import 4–5×
	// slower. The index triggers are dropped for the transaction and
	// recreated before commit, so no reader or other writer ever sees them
	// missing; meanwhile this import keeps the index in step itself. New
	// rows get ids above the largest id before the import (SQLite's rowid
	// rule for tables without AUTOINCREMENT).
	var lastID int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM segments`).Scan(&lastID); err != nil {
		return stats, fmt.Errorf("catalog: import: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DROP TRIGGER segments_ai; DROP TRIGGER segments_au`); err != nil {
		return stats, fmt.Errorf("catalog: import: %w", err)
	}
	w, err := prepareSegmentWriter(ctx, tx, lastID)
	if err != nil {
		return stats, fmt.Errorf("catalog: import: %w", err)
	}
	defer w.close()

	for r, err := range rows(ctx, records, opts, &stats) {
		if err != nil {
			return stats, fmt.Errorf("catalog: import: %w", err)
		}
		if r.InfoOnly {
			videos.add(r)
			continue
		}
		changed, err := w.write(ctx, r)
		if err != nil {
			return stats, fmt.Errorf("catalog: import: %s: %w", r.Pos, err)
		}
		stats.Segments++
		if m := videos.add(r); changed {
			m.changed = true
		}
	}

	res, err := tx.ExecContext(ctx, `INSERT INTO segments_fts (rowid, text) SELECT id, text FROM segments WHERE id > ?`, lastID)
	if err != nil {
		return stats, fmt.Errorf("catalog: import: index new segments: %w", err)
	}
	inserted, err := res.RowsAffected()
	if err != nil {
		return stats, fmt.Errorf("catalog: import: index new segments: %w", err)
	}
	// The new segments' runs of consecutive ids, by video.
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO segment_ranges (first_id, last_id, video_id)
		SELECT min(id), max(id), video_id
		FROM (SELECT id, video_id, id - row_number() OVER (PARTITION BY video_id ORDER BY id) AS run FROM segments WHERE id > ?)
		GROUP BY video_id, run`, lastID); err != nil {
		return stats, fmt.Errorf("catalog: import: segment ranges: %w", err)
	}
	stats.Inserted = int(inserted)
	stats.Updated = w.updated
	stats.Unchanged = stats.Segments - stats.Inserted - stats.Updated
	if _, err := tx.ExecContext(ctx, insertTrigger+";\n"+updateTrigger); err != nil {
		return stats, fmt.Errorf("catalog: import: %w", err)
	}
	if err := writeVideos(ctx, tx, &videos, &stats, c.now()); err != nil {
		return stats, fmt.Errorf("catalog: import: %w", err)
	}
	// After the videos: shingles are stored with their video's rowid.
	if err := writeDerived(ctx, tx, lastID, w.rewritten); err != nil {
		return stats, err
	}
	if stats.Inserted+stats.Updated > 0 || videos.metaChanged {
		if err := bumpVersion(ctx, tx, c.now()); err != nil {
			return stats, fmt.Errorf("catalog: import: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("catalog: import: commit: %w", err)
	}
	stats.Elapsed = time.Since(began)
	return stats, nil
}

// segmentWriter stores an import's segments while the index triggers are
// off. A new segment is inserted (and indexed in bulk at the end); one
// already stored is left alone when unchanged, else updated, its index
// entry replaced if it predates the import.
type segmentWriter struct {
	lastID                                     int64
	insert, existing, update, unindex, reindex *sql.Stmt
	updated                                    int
	rewritten                                  []rewrite // stored segments whose text changed
}

func prepareSegmentWriter(ctx context.Context, tx *sql.Tx, lastID int64) (*segmentWriter, error) {
	w := &segmentWriter{lastID: lastID}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.insert, `INSERT INTO segments (video_id, start_second, end_second, text, speaker) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (video_id, start_second) DO NOTHING`},
		{&w.existing, `SELECT id, end_second, text, speaker FROM segments WHERE video_id = ? AND start_second = ?`},
		{&w.update, `UPDATE segments SET end_second = ?, text = ?, speaker = ? WHERE id = ?`},
		{&w.unindex, `INSERT INTO segments_fts (segments_fts, rowid, text) VALUES ('delete', ?, ?)`},
		{&w.reindex, `INSERT INTO segments_fts (rowid, text) VALUES (?, ?)`},
	} {
		stmt, err := tx.PrepareContext(ctx, p.sql)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.stmt = stmt
	}
	return w, nil
}

// write stores r and reports whether the catalog changed.
func (w *segmentWriter) write(ctx context.Context, r Record) (bool, error) {
	res, err := w.insert.ExecContext(ctx, r.VideoID, r.Start, r.End, r.Text, r.Speaker)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return n == 1, err
	}
	var id int64
	var end int
	var text, speaker string
	if err := w.existing.QueryRowContext(ctx, r.VideoID, r.Start).Scan(&id, &end, &text, &speaker); err != nil {
		return false, err
	}
	if end == r.End && text == r.Text && speaker == r.Speaker {
		return false, nil
	}
	indexed := id <= w.lastID && text != r.Text
	if indexed {
		if _, err := w.unindex.ExecContext(ctx, id, text); err != nil {
			return false, err
		}
	}
	if _, err := w.update.ExecContext(ctx, r.End, r.Text, r.Speaker, id); err != nil {
		return false, err
	}
	if indexed {
		if _, err := w.reindex.ExecContext(ctx, id, r.Text); err != nil {
			return false, err
		}
		w.rewritten = append(w.rewritten, rewrite{id: id, old: text})
	}
	// A segment counts as updated once, however often the import rewrites it.
	if id <= w.lastID {
		w.updated++
	}
	return true, nil
}

func (w *segmentWriter) close() {
	for _, s := range []*sql.Stmt{w.insert, w.existing, w.update, w.unindex, w.reindex} {
		if s != nil {
			s.Close()
		}
	}
}

// Validate reads and checks every record as Import would, and writes
// nothing: a dry run, which needs no database.
func Validate(ctx context.Context, records iter.Seq2[Record, error], opts ImportOptions) (ImportStats, error) {
	began := time.Now()
	var stats ImportStats
	var videos videoSet
	for r, err := range rows(ctx, records, opts, &stats) {
		if err != nil {
			return stats, fmt.Errorf("catalog: validate: %w", err)
		}
		if !r.InfoOnly {
			stats.Segments++
		}
		videos.add(r)
	}
	stats.Videos = len(videos.order)
	stats.Elapsed = time.Since(began)
	return stats, nil
}

// writeVideos stores the videos an import touched and refreshes the
// figures derived from their segments. What is already stored of a video
// (title, thumbnail, channel, …) is kept when the import does not say, and
// a video is counted as updated only when something about it changed.
func writeVideos(ctx context.Context, tx *sql.Tx, videos *videoSet, stats *ImportStats, at time.Time) error {
	w, err := prepareVideoWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	now := at.UTC().Format(time.RFC3339)
	for _, id := range videos.order {
		m := videos.meta[id]
		outcome, err := w.write(ctx, id, m, now)
		if err != nil {
			return fmt.Errorf("video %s: %w", id, err)
		}
		switch outcome {
		case videoAdded:
			stats.VideosAdded++
		case videoUpdated:
			stats.VideosUpdated++
		case videoUnchanged:
			stats.VideosUnchanged++
		case videoSkipped:
			stats.InfoSkipped++
		}
		if outcome == videoAdded || outcome == videoUpdated {
			videos.metaChanged = true
		}
	}
	stats.Videos = stats.VideosAdded + stats.VideosUpdated + stats.VideosUnchanged
	return nil
}
