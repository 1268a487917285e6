// Package catalog owns the SQLite database of videos and their transcript
// segments: opening and migrating it, reading videos and transcripts,
// importing new segments, and the full-text index that internal/search
// reads through its search.Index interface (Index). No other package
// writes SQL against these tables.
package catalog

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, FTS5 built in)

	"github.com/transcripts/site/internal/migrate"
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
	db  *sql.DB
	now func() time.Time // when imports and deletes happen
	// path is the database file; file follows it while it is served (nil
	// for a catalog opened to write).
	path string
	file *servedFile
}

// Option changes how a catalog is opened.
type Option func(*Catalog)

// WithClock makes the catalog read the time from now (when a video was
// imported, when the catalog changed) instead of the system clock, so
// tests need not wait for a second to pass.
func WithClock(now func() time.Time) Option {
	return func(c *Catalog) { c.now = now }
}

func newCatalog(db *sql.DB, path string, file *servedFile, opts []Option) *Catalog {
	c := &Catalog{db: db, now: time.Now, path: path, file: file}
	for _, o := range opts {
		o(c)
	}
	return c
}

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Open opens (creating if needed) the SQLite database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string, opts ...Option) (*Catalog, error) {
	return openWriter(ctx, path, true, false, opts...)
}

// OpenNew creates the database at path, which must not exist, for a first
// import, without a journal: a failed first import has nothing to roll
// back to, and its caller removes the file. Every page is written once,
// to the file, where a journal would write it twice and, in WAL mode, map
// an index of every page into memory (15 MB for 10M segments). Seal
// makes it a database like any other. The caller builds it under a
// temporary name and moves it into place once sealed: until then a crash
// leaves a file no one reads.
func OpenNew(ctx context.Context, path string, opts ...Option) (*Catalog, error) {
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("catalog: create %s: %w", path, fs.ErrExist)
	}
	return openWriter(ctx, path, true, true, opts...)
}

// Seal ends the load of a database OpenNew created: it switches it to the
// write-ahead log every other open uses and flushes it to disk.
func (c *Catalog) Seal(ctx context.Context) error {
	var mode string
	if err := c.db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil {
		return fmt.Errorf("catalog: seal %s: %w", c.path, err)
	}
	if mode != "wal" {
		return fmt.Errorf("catalog: seal %s: journal mode stayed %q", c.path, mode)
	}
	f, err := os.Open(c.path)
	if err != nil {
		return fmt.Errorf("catalog: seal %s: %w", c.path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("catalog: seal %s: %w", c.path, err)
	}
	return nil
}

// openWriter opens the database at path to write, creating it when create
// is set, and migrates it.
func openWriter(ctx context.Context, path string, create, bulk bool, opts ...Option) (*Catalog, error) {
	name, err := dsn(path, create, bulk)
	if err != nil {
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(max(4, 2*runtime.NumCPU()))
	db.SetMaxIdleConns(max(4, 2*runtime.NumCPU()))
	if bulk {
		// One connection for the load's life: another would open
		// without a journal again after Seal.
		db.SetMaxOpenConns(1)
	}
	c := newCatalog(db, path, nil, opts)
	if err := c.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	return c, nil
}

// OpenReadOnly opens the existing database at path for serving, never
// writing it: every connection of the pool (two per core) is read-only
// (mode=ro, which also never creates a file), so the site runs on a
// read-only volume and beside imports by other processes (WAL). Only a
// schema older than this program's is migrated, through a short-lived
// writer; one that is current is merely read. The file is followed at its
// path: a new database moved into place is served from the next
// connection on, and a removed one makes queries fail with ErrUnavailable.
func OpenReadOnly(ctx context.Context, path string, opts ...Option) (*Catalog, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("catalog: open %s: %w", path, err)
	}
	f := &servedFile{path: path}
	db := sql.OpenDB(&connector{file: f})
	db.SetMaxOpenConns(2 * runtime.NumCPU())
	db.SetMaxIdleConns(2 * runtime.NumCPU())
	c := newCatalog(db, path, f, opts)
	behind, err := c.schemaBehind(ctx)
	if err == nil && behind {
		err = migrateFile(ctx, path)
	}
	if err == nil {
		err = c.Ping(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return c, nil
}

// ErrLocked is wrapped by the error of opening a database whose schema
// must be migrated while another process holds its write lock.
var ErrLocked = errors.New("another process is writing the database")

// migrateFile brings the schema of the existing database at path up to
// date through a short-lived writer.
func migrateFile(ctx context.Context, path string) error {
	w, err := openWriter(ctx, path, false, false)
	if err != nil {
		if strings.Contains(err.Error(), "database is locked") || strings.Contains(err.Error(), "SQLITE_BUSY") {
			return fmt.Errorf("catalog: %s needs its schema brought up to date, but %w (an import?): %v", path, ErrLocked, err)
		}
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("catalog: open %s: %w", path, err)
	}
	return nil
}

// schemaBehind reports whether the database lacks a migration this
// program has, reading only.
func (c *Catalog) schemaBehind(ctx context.Context) (bool, error) {
	ms, err := loadMigrations()
	if err != nil {
		return false, err
	}
	var tables int
	if err := c.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&tables); err != nil {
		return false, fmt.Errorf("catalog: open %s: %w", c.path, err)
	}
	if tables == 0 {
		return true, nil
	}
	v, err := c.SchemaVersion(ctx)
	if err != nil {
		return false, err
	}
	return v < ms[len(ms)-1].Version, nil
}

// dsn is the driver's name for the database at path opened to write, with
// the settings every connection gets; create allows a new file.
func dsn(path string, create, bulk bool) (string, error) {
	uri, err := fileURI(path)
	if err != nil {
		return "", err
	}
	q := url.Values{}
	if create {
		q.Set("mode", "rwc")
	} else {
		q.Set("mode", "rw")
	}
	q.Add("_pragma", "busy_timeout(10000)")
	if bulk {
		q.Add("_pragma", "journal_mode(OFF)")
		q.Add("_pragma", "synchronous(OFF)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
	}
	q.Add("_pragma", "foreign_keys(ON)")
	// Writers take the lock up front, so a reader upgraded to a writer
	// never fails half-way with SQLITE_BUSY.
	q.Set("_txlock", "immediate")
	return uri + "?" + q.Encode(), nil
}

// Close closes the database.
func (c *Catalog) Close() error { return c.db.Close() }

// refresh looks whether the served file was replaced or removed: a
// replaced one is switched to, a removed one is ErrUnavailable.
func (c *Catalog) refresh() error {
	if c.file == nil {
		return nil
	}
	if _, ok := c.file.check(); !ok {
		return fmt.Errorf("catalog: %s: no file: %w", c.path, ErrUnavailable)
	}
	return nil
}

// Ping reports whether the database answers from its tables (not merely
// whether a connection opens: an empty file would).
func (c *Catalog) Ping(ctx context.Context) error {
	if err := c.refresh(); err != nil {
		return err
	}
	var version, videos int64
	if err := c.db.QueryRowContext(ctx, `SELECT (SELECT version FROM catalog_version WHERE id = 1), (SELECT count(*) FROM (SELECT 1 FROM videos LIMIT 1))`).Scan(&version, &videos); err != nil {
		return fmt.Errorf("catalog: ping: %w", err)
	}
	return nil
}

// Check verifies that the database file and its full-text indexes are
// intact: SQLite's integrity check, then FTS5's own over each index.
func (c *Catalog) Check(ctx context.Context) error {
	var ok string
	if err := c.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return fmt.Errorf("catalog: check: %w", err)
	}
	if ok != "ok" {
		return fmt.Errorf("catalog: check: %s", ok)
	}
	for _, table := range []string{"segments_fts", "videos_fts"} {
		// The table names are constants: nothing of the caller's reaches the SQL.
		if _, err := c.db.ExecContext(ctx, `INSERT INTO `+table+` (`+table+`, rank) VALUES ('integrity-check', 1)`); err != nil {
			return fmt.Errorf("catalog: check %s: %w", table, err)
		}
	}
	return nil
}

// Checkpoint copies what the write-ahead log holds into the database and
// truncates the log, which otherwise keeps the size of the largest
// transaction written (or rolled back) since the last writer closed. A
// catalog opened for serving checkpoints through a short-lived writer, or
// does nothing where it may not write; readers in the middle of a query
// may keep the log from being truncated until the next time.
func (c *Catalog) Checkpoint(ctx context.Context) error {
	db := c.db
	if c.file != nil {
		if _, err := os.Stat(c.path + "-wal"); err != nil || !writable(filepath.Dir(c.path)) {
			return nil // no log, or none this process may write
		}
		name, err := dsn(c.path, false, false)
		if err != nil {
			return fmt.Errorf("catalog: checkpoint: %w", err)
		}
		if db, err = sql.Open("sqlite", name); err != nil {
			return fmt.Errorf("catalog: checkpoint: %w", err)
		}
		defer db.Close()
	}
	var busy, logPages, done int
	if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &done); err != nil {
		return fmt.Errorf("catalog: checkpoint: %w", err)
	}
	return nil
}

// loadMigrations reads the embedded migrations, oldest first.
func loadMigrations() ([]migrate.Migration, error) {
	return migrate.Load(migrationFiles, "migrations")
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
			return fmt.Errorf("migrate %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

func (c *Catalog) apply(ctx context.Context, m migrate.Migration) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
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
	// File counts the database files a served catalog has followed at
	// its path: a file moved into place is another catalog, whatever its
	// N says.
	File uint64
}

// Version returns the catalog's current version. Serving, it is also
// where a database replaced or removed at its path is noticed.
func (c *Catalog) Version(ctx context.Context) (Version, error) {
	if err := c.refresh(); err != nil {
		return Version{}, err
	}
	var v Version
	if c.file != nil {
		v.File = c.file.gen.Load()
	}
	var changed string
	if err := c.db.QueryRowContext(ctx, `SELECT version, changed_at FROM catalog_version WHERE id = 1`).Scan(&v.N, &changed); err != nil {
		return Version{}, fmt.Errorf("catalog: version: %w", err)
	}
	v.ChangedAt = parseTime(changed)
	return v, nil
}

// bumpVersion records, inside the transaction that changes the catalog,
// that it changed. The new version is at least the time in microseconds,
// so two database files built apart do not share one: a server that
// switches to a file moved into place, and the search engine's caches
// keyed by version, cannot take one for the other.
func bumpVersion(ctx context.Context, tx *sql.Tx, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalog_version SET version = max(version + 1, ?), changed_at = ? WHERE id = 1`,
		now.UnixMicro(), now.UTC().Format(time.RFC3339))
	return err
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
