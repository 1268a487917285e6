// Package catalog owns the SQLite database of videos and their transcript
// segments: opening and migrating it, reading videos and transcripts, and
// importing new segments. No other package writes SQL against the catalog
// tables except internal/search, which reads the full-text index.
package catalog

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, FTS5 built in)
)

// ErrNotFound is returned when a video does not exist in the catalog.
var ErrNotFound = errors.New("not found")

// Video is one video of the catalog with the figures derived from its
// segments.
type Video struct {
	ID        string
	Title     string // may be empty: the dataset has untitled videos
	Thumbnail string // always an https URL after import
	Duration  int    // seconds, the end of the last segment
	Segments  int    // number of transcript segments
	// ImportedAt is when an import last added or changed the video.
	ImportedAt time.Time

	// What the source says about the video; each may be unknown.

	// ChannelID is YouTube's channel id (UC…) when the source gives one,
	// else a slug of the channel's name: the key of the channel's page.
	ChannelID   string
	Channel     string    // the channel's (or show's) name
	Published   time.Time // the day it was published (UTC midnight); zero when unknown
	Description string    // as the source wrote it, line breaks kept
	Tags        []string
	Language    string // as the source names it: "en", "de-DE"
}

// Chapter is a titled part of a video, from Start to the next chapter's
// start (or the end).
type Chapter struct {
	Start int // seconds from the start of the video
	Title string
}

// Segment is one line of a transcript.
type Segment struct {
	ID      int64
	VideoID string
	Start   int // seconds from the start of the video
	End     int
	Text    string
	Speaker string // who says it, as the transcript names them; "" when it does not
}

// Catalog is the database of videos and transcripts. It is safe for
// concurrent use.
type Catalog struct {
	db *sql.DB
}

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Open opens (creating if needed) the SQLite database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Catalog, error) {
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	db.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	c := &Catalog{db: db}
	if err := c.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	return c, nil
}

// OpenReadOnly opens the database at path for serving: its schema is
// brought up to date through a short-lived writer, then every connection
// of the pool (two per core) is query_only, so the site can never write,
// while imports by other processes go on beside it (WAL).
func OpenReadOnly(ctx context.Context, path string) (*Catalog, error) {
	w, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(2 * runtime.NumCPU())
	db.SetMaxIdleConns(2 * runtime.NumCPU())
	c := &Catalog{db: db}
	if err := c.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return c, nil
}

// dsn is the driver's name for the database at path, with the settings
// every connection gets.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(ON)")
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
	}
	// Writers take the lock up front, so a reader upgraded to a writer
	// never fails half-way with SQLITE_BUSY.
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Close closes the database.
func (c *Catalog) Close() error { return c.db.Close() }

// DB returns the database handle for the read-only queries of
// internal/search.
func (c *Catalog) DB() *sql.DB { return c.db }

// Ping reports whether the database answers a query.
func (c *Catalog) Ping(ctx context.Context) error {
	var one int
	if err := c.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("catalog: ping: %w", err)
	}
	return nil
}

// migration is one numbered schema change from migrations/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies every migration newer than the recorded version, each in
// its own transaction together with the record of it.
func (c *Catalog) migrate(ctx context.Context) error {
	if _, err := c.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		if err := c.apply(ctx, m); err != nil {
			return fmt.Errorf("migrate %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

func (c *Catalog) apply(ctx context.Context, m migration) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
		return err
	}
	return tx.Commit()
}

// SchemaVersion returns the version of the newest applied migration.
func (c *Catalog) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := c.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("catalog: schema version: %w", err)
	}
	return v, nil
}

// Version identifies the catalog's content: it changes with every import
// that changes something and every delete.
type Version struct {
	N         int64
	ChangedAt time.Time
}

// Version returns the catalog's current version.
func (c *Catalog) Version(ctx context.Context) (Version, error) {
	var v Version
	var changed string
	if err := c.db.QueryRowContext(ctx, `SELECT version, changed_at FROM catalog_version WHERE id = 1`).Scan(&v.N, &changed); err != nil {
		return Version{}, fmt.Errorf("catalog: version: %w", err)
	}
	v.ChangedAt = parseTime(changed)
	return v, nil
}

// bumpVersion records, inside the transaction that changes the catalog,
// that it changed.
func bumpVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalog_version SET version = version + 1, changed_at = ? WHERE id = 1`,
		time.Now().UTC().Format(time.RFC3339))
	return err
}

// SegmentRange is a run of consecutive segment ids of one video.
type SegmentRange struct {
	FirstID, LastID int64
	VideoID         string
}

// SegmentRanges returns every run of consecutive segment ids with its
// video, in id order: about one per video.
func (c *Catalog) SegmentRanges(ctx context.Context) ([]SegmentRange, error) {
	return SegmentRanges(ctx, c.db)
}

// SegmentRanges reads the runs from db (for internal/search, which holds
// the handle).
func SegmentRanges(ctx context.Context, db *sql.DB) ([]SegmentRange, error) {
	rows, err := db.QueryContext(ctx, `SELECT first_id, last_id, video_id FROM segment_ranges ORDER BY first_id`)
	if err != nil {
		return nil, fmt.Errorf("catalog: segment ranges: %w", err)
	}
	defer rows.Close()
	var rs []SegmentRange
	for rows.Next() {
		var r SegmentRange
		if err := rows.Scan(&r.FirstID, &r.LastID, &r.VideoID); err != nil {
			return nil, fmt.Errorf("catalog: segment ranges: %w", err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: segment ranges: %w", err)
	}
	return rs, nil
}

// Totals counts what the catalog holds.
type Totals struct {
	Videos   int
	Segments int
}

// Totals returns the number of videos and segments, from the per-video
// counts kept by Import (no scan of the segments).
func (c *Catalog) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	if err := c.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(segment_count), 0) FROM videos`).Scan(&t.Videos, &t.Segments); err != nil {
		return Totals{}, fmt.Errorf("catalog: totals: %w", err)
	}
	return t, nil
}

// Videos returns up to limit videos ordered by title (untitled ones last),
// skipping the first offset.
func (c *Catalog) Videos(ctx context.Context, offset, limit int) ([]Video, error) {
	return c.FindVideos(ctx, VideoQuery{Sort: SortTitle, Offset: offset, Limit: limit})
}

// Video returns one video, or ErrNotFound.
func (c *Catalog) Video(ctx context.Context, id string) (Video, error) {
	v, err := scanVideo(c.db.QueryRowContext(ctx, `SELECT `+videoColumns+` FROM videos WHERE video_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Video{}, fmt.Errorf("catalog: video %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Video{}, fmt.Errorf("catalog: video %s: %w", id, err)
	}
	return v, nil
}

// parseTime reads imported_at, written by Import as RFC 3339. A value
// another tool wrote in another format reads as the zero time.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Transcript returns every segment of a video in time order. A video
// without segments (or an unknown one) yields an empty transcript.
func (c *Catalog) Transcript(ctx context.Context, videoID string) ([]Segment, error) {
	rows, err := c.db.QueryContext(ctx, `
		SELECT id, start_second, end_second, text, speaker
		FROM segments WHERE video_id = ?
		ORDER BY start_second`, videoID)
	if err != nil {
		return nil, fmt.Errorf("catalog: transcript %s: %w", videoID, err)
	}
	defer rows.Close()
	var segs []Segment
	for rows.Next() {
		s := Segment{VideoID: videoID}
		if err := rows.Scan(&s.ID, &s.Start, &s.End, &s.Text, &s.Speaker); err != nil {
			return nil, fmt.Errorf("catalog: transcript %s: %w", videoID, err)
		}
		segs = append(segs, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: transcript %s: %w", videoID, err)
	}
	return segs, nil
}
