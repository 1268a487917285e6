package fetch

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

// Plan is what a Run fetches and how.
type Plan struct {
	Options
	// URLs are the channels, playlists and videos to fetch.
	URLs []string
	// Update adds every channel and playlist fetched before to URLs.
	Update bool
	// Refresh imports videos the catalog already holds again (from the
	// cache when it has them) instead of skipping them.
	Refresh bool
	// DBPath is the database to import into, created if missing (unless
	// Update, which needs one); CacheDir the folder of yt-dlp's files.
	DBPath, CacheDir string
	// Open, when set, opens the store to import into in place of the
	// SQLite file at DBPath (a PostgreSQL database, say), which then only
	// names it in messages.
	Open func(ctx context.Context) (Store, error)
	// Delay is the pause before each call of yt-dlp after the first.
	Delay time.Duration
	// BatchSize is how many videos are imported in one transaction
	// (DefaultBatchSize if 0).
	BatchSize int
}

// Store is what a run reads and writes of a collection: *catalog.Catalog,
// or another backend's store.
type Store interface {
	Import(ctx context.Context, records iter.Seq2[catalog.Record, error], opts catalog.ImportOptions) (catalog.ImportStats, error)
	Sources(ctx context.Context) ([]catalog.Source, error)
	CheckedSource(ctx context.Context, src catalog.Source) error
	ExistingVideos(ctx context.Context, ids []string) (map[string]bool, error)
	Close() error
}

var _ Store = (*catalog.Catalog)(nil)

// DefaultBatchSize is how many fetched videos are imported together.
const DefaultBatchSize = 20

// RateLimitStop is how many videos in a row answered with a rate limit
// make a run stop asking: the rest would be refused too, and asking on
// makes the block last longer.
const RateLimitStop = 3

// DefaultCacheDir is the cache folder of a database: beside it, named
// after it.
func DefaultCacheDir(dbPath string) string { return dbPath + ".cache" }

// Progress counts a run's videos as it goes; it is safe to read while
// the run is under way.
type Progress struct {
	Found    atomic.Int64 // listed by the sources
	Skipped  atomic.Int64 // already in the catalog
	Fetched  atomic.Int64 // written by yt-dlp (or found whole in the cache)
	Imported atomic.Int64
	Failed   atomic.Int64
	ToFetch  atomic.Int64 // of those found, not skipped
}

// SourceResult is what listing one source found.
type SourceResult struct {
	URL   string
	Kind  string // channel, playlist or video
	Title string
	Found int   // videos listed
	New   int   // of those, not in the catalog
	Err   error // the listing failed: nothing of it was fetched
}

// VideoFailure is a video that was not imported, and why.
type VideoFailure struct {
	ID     string
	Title  string
	Source string // the URL that listed it
	Err    error  // a *Failure, mostly
}

// Summary is what a run did.
type Summary struct {
	Sources  []SourceResult
	Found    int // distinct videos listed
	Skipped  int // already in the catalog
	Cached   int // whose files were already in the cache
	Fetched  int // fetched from YouTube in this run
	Imported catalog.ImportStats
	Failures []VideoFailure
	// NotTried are the videos left when YouTube kept refusing (rate
	// limits): run again later.
	NotTried []string
}

// Failed reports whether anything failed: a source, a video, or videos
// not tried.
func (s *Summary) Failed() bool {
	for _, src := range s.Sources {
		if src.Err != nil {
			return true
		}
	}
	return len(s.Failures) > 0 || len(s.NotTried) > 0
}

// video is a video to fetch and import.
type video struct {
	id, title, source string
	sub               string // its subtitle file, once fetched
	info              string // its .info.json, when yt-dlp wrote one
}

// Run lists every source, fetches the videos the catalog lacks (all with
// Refresh) into the cache, and imports them in batches, each in one
// transaction. A video that fails is recorded in the summary and the run
// goes on. The error is for what stops the run: a yt-dlp too old for an
// option, the database, or ctx cancelled (then the database holds the
// batches imported so far and the cache what was fetched: the next run
// imports it without fetching it again). Nothing is written when no
// source could be listed.
func Run(ctx context.Context, y *YTDLP, plan Plan, p *Progress) (*Summary, error) {
	if p == nil {
		p = &Progress{}
	}
	if plan.BatchSize <= 0 {
		plan.BatchSize = DefaultBatchSize
	}
	r := &runner{y: y, plan: plan, p: p, sum: &Summary{}}
	err := r.run(ctx)
	if r.cat != nil {
		if cerr := r.cat.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", plan.DBPath, cerr)
		}
	}
	return r.sum, err
}

type runner struct {
	y      *YTDLP
	plan   Plan
	p      *Progress
	sum    *Summary
	cat    Store
	called bool // yt-dlp has been called: pause before the next call
	delay  time.Duration
}

func (r *runner) run(ctx context.Context) error {
	r.delay = r.plan.Delay
	urls := r.plan.URLs
	if r.plan.Update {
		if _, err := os.Stat(r.plan.DBPath); err != nil && r.plan.Open == nil {
			return fmt.Errorf("-update: database %s: %w (fetch a channel into it first)", r.plan.DBPath, err)
		}
		if err := r.open(ctx); err != nil {
			return err
		}
		srcs, err := r.cat.Sources(ctx)
		if err != nil {
			return err
		}
		var stored []string
		for _, s := range srcs {
			stored = append(stored, s.URL)
		}
		urls = append(stored, urls...)
	}

	// List every source first: what is new is known before anything is
	// fetched, and a URL yt-dlp does not recognise writes nothing.
	var videos []*video
	seen := map[string]bool{}
	for _, u := range dedupe(urls) {
		res := SourceResult{URL: u}
		l, err := r.y.list(ctx, u, r.pause)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var tooOld *TooOldError
		if errors.As(err, &tooOld) {
			return err
		}
		if err != nil {
			res.Err = err
			r.sum.Sources = append(r.sum.Sources, res)
			continue
		}
		res.Kind, res.Title, res.Found = l.Kind, l.Title, len(l.Entries)
		for _, e := range l.Entries {
			if seen[e.ID] {
				continue
			}
			seen[e.ID] = true
			r.p.Found.Add(1)
			v := &video{id: e.ID, title: e.Title, source: u}
			switch {
			case !catalog.ValidVideoID(e.ID):
				r.fail(v, &Failure{Kind: NotYouTube, Detail: fmt.Sprintf("id %q", truncate(e.ID, 40))})
			case e.Unavailable != "":
				r.fail(v, &Failure{Kind: Unavailable, Detail: e.Unavailable + " (in the listing)"})
			default:
				videos = append(videos, v)
			}
		}
		r.sum.Sources = append(r.sum.Sources, res)
	}
	r.sum.Found = len(seen)
	listed := false
	for _, s := range r.sum.Sources {
		listed = listed || s.Err == nil
	}
	if !listed {
		return nil
	}
	if err := r.open(ctx); err != nil {
		return err
	}
	for i := range r.sum.Sources {
		s := &r.sum.Sources[i]
		if s.Err != nil || s.Kind == "video" {
			continue // a single video has nothing new to check for later
		}
		if err := r.cat.CheckedSource(ctx, catalog.Source{URL: s.URL, Kind: s.Kind, Title: s.Title}); err != nil {
			return err
		}
	}

	videos, err := r.skipExisting(ctx, videos)
	if err != nil {
		return err
	}
	return r.fetchAll(ctx, videos)
}

// open opens (creating) the catalog once.
func (r *runner) open(ctx context.Context) error {
	if r.cat != nil {
		return nil
	}
	if r.plan.Open != nil {
		cat, err := r.plan.Open(ctx)
		if err != nil {
			return err
		}
		r.cat = cat
		return nil
	}
	if dir := filepath.Dir(r.plan.DBPath); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("database folder: %w", err)
		}
	}
	cat, err := catalog.Open(ctx, r.plan.DBPath)
	if err != nil {
		return err
	}
	r.cat = cat
	return nil
}

// skipExisting drops the videos the catalog holds, unless Refresh, and
// counts what each source brings that is new.
func (r *runner) skipExisting(ctx context.Context, videos []*video) ([]*video, error) {
	ids := make([]string, len(videos))
	for i, v := range videos {
		ids[i] = v.id
	}
	have, err := r.cat.ExistingVideos(ctx, ids)
	if err != nil {
		return nil, err
	}
	newBySource := map[string]int{}
	var todo []*video
	for _, v := range videos {
		if !have[v.id] {
			newBySource[v.source]++
		} else if !r.plan.Refresh {
			r.sum.Skipped++
			r.p.Skipped.Add(1)
			continue
		}
		todo = append(todo, v)
	}
	for i := range r.sum.Sources {
		r.sum.Sources[i].New = newBySource[r.sum.Sources[i].URL]
	}
	r.p.ToFetch.Store(int64(len(todo)))
	return todo, nil
}

// fetchAll fetches each video (or finds it in the cache) and imports
// them a batch at a time.
func (r *runner) fetchAll(ctx context.Context, videos []*video) error {
	if len(videos) == 0 {
		return nil
	}
	if err := os.MkdirAll(r.plan.CacheDir, 0o755); err != nil {
		return fmt.Errorf("cache folder: %w", err)
	}
	var batch []*video
	limited := 0 // videos in a row refused with a rate limit
	for i, v := range videos {
		if limited >= RateLimitStop {
			for _, rest := range videos[i:] {
				r.sum.NotTried = append(r.sum.NotTried, rest.id)
			}
			r.p.Failed.Add(int64(len(videos) - i))
			break
		}
		err := r.fetch(ctx, v)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var tooOld *TooOldError
		if errors.As(err, &tooOld) {
			return err
		}
		var f *Failure
		if errors.As(err, &f) && f.Kind == RateLimited {
			limited++
			// Ask more slowly from now on.
			r.delay = min(2*r.delay, 5*time.Minute)
		} else {
			limited = 0
		}
		if err != nil {
			r.fail(v, err)
			continue
		}
		r.p.Fetched.Add(1)
		if batch = append(batch, v); len(batch) >= r.plan.BatchSize {
			if err := r.importBatch(ctx, batch); err != nil {
				return err
			}
			batch = nil
		}
	}
	return r.importBatch(ctx, batch)
}

// fetch makes sure the cache holds v's subtitles and .info.json, calling
// yt-dlp unless it already does.
func (r *runner) fetch(ctx context.Context, v *video) error {
	dir := r.plan.CacheDir
	sub, info := cached(dir, v.id, r.plan.Lang)
	if sub != "" && info != "" {
		r.sum.Cached++
	} else {
		if err := r.pause(ctx); err != nil {
			return err
		}
		if err := r.y.fetchVideo(ctx, dir, v.id, r.plan.Options); err != nil {
			return err
		}
		r.sum.Fetched++
		sub, info = cached(dir, v.id, r.plan.Lang)
	}
	if info != "" {
		if meta, err := readInfo(info); err == nil && meta.Title != nil && *meta.Title != "" {
			v.title = *meta.Title
		}
	}
	if sub == "" {
		return noSubtitles(dir, v.id, r.plan.Options)
	}
	v.sub, v.info = sub, info
	return nil
}

// pause waits the delay between two calls of yt-dlp.
func (r *runner) pause(ctx context.Context) error {
	if !r.called {
		r.called = true
		return nil
	}
	if r.delay <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(r.delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *runner) fail(v *video, err error) {
	r.sum.Failures = append(r.sum.Failures, VideoFailure{ID: v.id, Title: v.title, Source: v.source, Err: err})
	r.p.Failed.Add(1)
}

// importBatch imports the subtitles of batch in one transaction, as
// `web import` reads and imports files. When that fails, each video is
// imported alone, so one bad file fails only its own video.
func (r *runner) importBatch(ctx context.Context, batch []*video) error {
	if len(batch) == 0 {
		return nil
	}
	rows := map[string]int{}
	stats, err := r.cat.Import(ctx, records(batch, rows), catalog.ImportOptions{SkipInvalid: true})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil && len(batch) > 1 {
		for _, v := range batch {
			if err := r.importBatch(ctx, []*video{v}); err != nil {
				return err
			}
		}
		return nil
	}
	if err != nil {
		r.fail(batch[0], &Failure{Kind: Unreadable, Detail: err.Error()})
		return nil
	}
	r.sum.Imported = addStats(r.sum.Imported, stats)
	for _, v := range batch {
		if rows[v.id] == 0 {
			r.fail(v, &Failure{Kind: Unreadable, Detail: filepath.Base(v.sub) + " has no text"})
			continue
		}
		r.p.Imported.Add(1)
	}
	return nil
}

// importFiles are the files of v handed to the importer: its subtitles
// and, when there is one, its .info.json, which gives the video its
// channel, date, length, description, tags and chapters.
func importFiles(v *video) []string {
	if v.info == "" {
		return []string{v.sub}
	}
	return []string{v.sub, v.info}
}

// records reads the files of every video of batch, counting each video's
// rows in rows.
func records(batch []*video, rows map[string]int) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		for _, v := range batch {
			recs, _, err := ingest.Read(importFiles(v), ingest.Options{VideoID: v.id, Title: v.title})
			if err != nil {
				yield(catalog.Record{}, err)
				return
			}
			for rec, err := range recs {
				if err == nil {
					rows[v.id]++
				}
				if !yield(rec, err) {
					return
				}
			}
		}
	}
}

func addStats(a, b catalog.ImportStats) catalog.ImportStats {
	a.Segments += b.Segments
	a.Inserted += b.Inserted
	a.Updated += b.Updated
	a.Unchanged += b.Unchanged
	a.Videos += b.Videos
	a.VideosAdded += b.VideosAdded
	a.VideosUpdated += b.VideosUpdated
	a.Skipped += b.Skipped
	a.Problems = append(a.Problems, b.Problems...)
	if len(a.Problems) > catalog.MaxReportedProblems {
		a.Problems = a.Problems[:catalog.MaxReportedProblems]
	}
	a.Elapsed += b.Elapsed
	return a
}

// dedupe drops repeated URLs, keeping the first.
func dedupe(urls []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range urls {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}
