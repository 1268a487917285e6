package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/excerpt"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/postgres"
)

// importCmd loads transcript files into a database in one transaction.
// importMemoryLimit is the soft limit on the Go runtime's memory during
// an import. What an import keeps live is 15-25 MB whatever its size (a
// block of champion lists, a batch of rows), but without a limit the
// collector lets garbage grow the heap to twice that and the runtime
// keeps what it once took: 66 MB at 10M segments against 33 MB at 1M.
const importMemoryLimit = 40 << 20

func importCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("web import", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dbPath := fset.String("db", dbFromEnv(getenv, defaultDB), dbUsage+"; a SQLite file is created if missing")
	format := fset.String("format", "", "format of every file: "+ingest.FormatNames()+" (default: by extension and content)")
	videoID := fset.String("video", "", "video id of subtitle files (default: from the file name, ID.en.vtt or Title [ID].vtt)")
	title := fset.String("title", "", "title of the video of subtitle files")
	skipInvalid := fset.Bool("skip-invalid", false, "skip bad rows and list them, instead of stopping at the first")
	dryRun := fset.Bool("dry-run", false, "read and check every row, write nothing")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: web import -db PATH|postgres://… [flags] FILE|DIR...")
		fmt.Fprintln(stderr, "       (a SQLite database among the files is copied whole: web import -db postgres://… data/transcripts.db)")
		fset.PrintDefaults()
	}
	files, err := parseInterspersed(fset, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fset.Usage()
		return errors.New("import: no files given")
	}
	f, err := ingest.ParseFormat(*format)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	for _, name := range files {
		if sameFile(name, *dbPath) {
			return fmt.Errorf("import: %s is the database being imported into", name)
		}
	}
	records, progress, err := ingest.Read(files, ingest.Options{Format: f, VideoID: *videoID, Title: *title})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}

	if getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	}
	_, statErr := os.Stat(*dbPath)
	existed := statErr == nil || postgres.IsURL(*dbPath)
	opts := catalog.ImportOptions{SkipInvalid: *skipInvalid}
	rep := newReporter(stderr, progress)
	var stats catalog.ImportStats
	if *dryRun {
		stats, err = catalog.Validate(ctx, rep.count(records), opts)
	} else {
		stats, err = importInto(ctx, *dbPath, rep.count(records), opts)
	}
	rep.stop()
	if err == nil && stats.Segments == 0 && stats.Skipped > 0 {
		// Every row was bad: the wrong file, or not transcripts at all.
		err = fmt.Errorf("no valid row among %s read (-skip-invalid skips bad rows, but there was nothing else); the first: %v",
			count(stats.Skipped), stats.Problems[0])
	}
	if err != nil {
		if !existed && !*dryRun {
			removeDB(*dbPath) // leave no empty database behind
		}
		var rowErr *catalog.RowError
		if errors.As(err, &rowErr) {
			err = rowErr
		}
		if errors.Is(err, context.Canceled) {
			err = errors.New("interrupted")
		}
		return fmt.Errorf("import failed, nothing was imported and %s is unchanged:\n%w", shownDB(*dbPath), err)
	}
	printSummary(stdout, shownDB(*dbPath), progress.Files(), stats, *dryRun)
	return nil
}

// sameFile reports whether a and b name one existing file.
func sameFile(a, b string) bool {
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}

// printSummary tells what an import did.
func printSummary(w io.Writer, dbPath string, files int64, s catalog.ImportStats, dryRun bool) {
	if dryRun {
		fmt.Fprintf(w, "dry run: %s segments of %s videos from %d file(s) would be imported; nothing was written (%.2fs)\n",
			count(s.Segments), count(s.Videos), files, s.Elapsed.Seconds())
	} else {
		fmt.Fprintf(w, "imported %s segments of %s videos from %d file(s) into %s in %.2fs\n",
			count(s.Segments), count(s.Videos), files, dbPath, s.Elapsed.Seconds())
		fmt.Fprintf(w, "  videos: %s added, %s updated, %s unchanged; segments: %s new, %s changed, %s unchanged\n",
			count(s.VideosAdded), count(s.VideosUpdated), count(s.VideosUnchanged), count(s.Inserted), count(s.Updated), count(s.Unchanged))
		if s.InfoSkipped > 0 {
			fmt.Fprintf(w, "  %s described but without a transcript, not added\n", plural(s.InfoSkipped, "video", "videos"))
		}
	}
	if s.Skipped > 0 {
		fmt.Fprintf(w, "  skipped %s bad row(s)", count(s.Skipped))
		if s.Skipped > len(s.Problems) {
			fmt.Fprintf(w, "; the first %d", len(s.Problems))
		}
		fmt.Fprintln(w, ":")
		for _, p := range s.Problems {
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
}

// importInto opens (creating) the database at path and imports records
// into it.
func importInto(ctx context.Context, path string, records iter.Seq2[catalog.Record, error], opts catalog.ImportOptions) (catalog.ImportStats, error) {
	var cat collection
	var err error
	if postgres.IsURL(path) {
		cat, err = postgres.Open(ctx, path)
	} else if _, serr := os.Lstat(path); errors.Is(serr, fs.ErrNotExist) {
		return importNew(ctx, path, records, opts)
	} else {
		cat, err = catalog.Open(ctx, path)
	}
	if err != nil {
		return catalog.ImportStats{}, err
	}
	stats, err := cat.Import(ctx, records, opts)
	if cerr := cat.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", shownDB(path), cerr)
	}
	return stats, err
}

// importNew builds a new database at path from records: under a
// temporary name, without a journal (catalog.OpenNew), moved into place
// once whole and with a good row. On failure nothing is left at path. One
// first import at a time runs in a directory (lockDir): another's
// temporary file is not removed from under it.
func importNew(ctx context.Context, path string, records iter.Seq2[catalog.Record, error], opts catalog.ImportOptions) (catalog.ImportStats, error) {
	dir := filepath.Dir(path)
	unlock, err := lockDir(dir)
	if err != nil {
		return catalog.ImportStats{}, err
	}
	defer unlock()
	tmp := path + ".importing"
	removeDB(tmp) // a killed import's
	cat, err := catalog.OpenNew(ctx, tmp)
	if err != nil {
		return catalog.ImportStats{}, err
	}
	stats, err := cat.Import(ctx, records, opts)
	if err == nil {
		err = cat.Seal(ctx)
	}
	if cerr := cat.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", tmp, cerr)
	}
	// Every row bad: importCmd says so, and there is nothing to serve.
	if err == nil && (stats.Segments > 0 || stats.Skipped == 0) {
		err = publish(tmp, path)
	}
	removeDB(tmp) // on failure everything; else the log's files, if any
	return stats, err
}

// publish moves the file tmp to path, which must not exist (a link, not a
// rename, which would replace a file made there meanwhile), durably.
func publish(tmp, path string) error {
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s was created while this import ran: import into it again", path)
		}
		return err
	}
	if err := os.Remove(tmp); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// reporter shows an import's progress: a bar with rows, rate and ETA on a
// terminal, a log line every few seconds otherwise.
type reporter struct {
	out      io.Writer
	progress *ingest.Progress
	rows     atomic.Int64
	began    time.Time
	done     chan struct{}
	stopped  chan struct{}
}

func newReporter(out io.Writer, p *ingest.Progress) *reporter {
	r := &reporter{out: out, progress: p, began: time.Now(), done: make(chan struct{}), stopped: make(chan struct{})}
	go r.run()
	return r
}

// count passes records through, counting them.
func (r *reporter) count(records iter.Seq2[catalog.Record, error]) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		for rec, err := range records {
			r.rows.Add(1)
			if !yield(rec, err) {
				return
			}
		}
	}
}

func (r *reporter) run() {
	defer close(r.stopped)
	var bar *progressbar.ProgressBar
	every := 5 * time.Second
	if f, ok := r.out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar = progressbar.NewOptions64(r.progress.TotalBytes,
			progressbar.OptionSetWriter(r.out),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		every = 200 * time.Millisecond
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	indexing := false
	for {
		select {
		case <-r.done:
			if bar != nil {
				bar.Finish()
			}
			return
		case <-tick.C:
			rows := r.rows.Load()
			rate := float64(rows) / time.Since(r.began).Seconds()
			if r.progress.Bytes() >= r.progress.TotalBytes && r.progress.TotalBytes > 0 {
				// Every row is read: the search index is being built.
				if !indexing {
					indexing = true
					msg := fmt.Sprintf("%s rows read; building the search index", count(int(rows)))
					if bar != nil {
						bar.Describe(msg)
					} else {
						fmt.Fprintln(r.out, "import: "+msg)
					}
				}
				continue
			}
			if bar != nil {
				bar.Describe(fmt.Sprintf("%s rows, %s/s", count(int(rows)), count(int(rate))))
				bar.Set64(r.progress.Bytes())
				continue
			}
			line := fmt.Sprintf("import: %s rows read (%s/s)", count(int(rows)), count(int(rate)))
			if total := r.progress.TotalBytes; total > 0 {
				done := float64(r.progress.Bytes()) / float64(total)
				line += fmt.Sprintf(", %.0f%% of %s", 100*done, humanBytes(total))
				if done > 0.01 {
					eta := time.Duration(float64(time.Since(r.began)) * (1 - done) / done)
					line += ", about " + eta.Round(time.Second).String() + " to go"
				}
			}
			fmt.Fprintln(r.out, line)
		}
	}
}

func (r *reporter) stop() {
	close(r.done)
	<-r.stopped
}

// humanBytes formats a size: 687 MB.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// deleteCmd removes videos and their segments.
func deleteCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("web delete", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dbPath := fset.String("db", dbFromEnv(getenv, defaultDB), dbUsage)
	ids, err := parseInterspersed(fset, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return errors.New("delete: usage: web delete -db PATH VIDEO_ID...")
	}
	cat, err := openExisting(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	defer cat.Close()
	stats, err := cat.Delete(ctx, ids)
	if err != nil {
		return fmt.Errorf("delete failed, nothing was deleted: %w", err)
	}
	fmt.Fprintf(stdout, "deleted %s and %s from %s\n", plural(stats.Videos, "video", "videos"), plural(stats.Segments, "segment", "segments"), shownDB(*dbPath))
	return nil
}

// statsCmd prints what a database holds.
func statsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("web stats", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dbPath := fset.String("db", dbFromEnv(getenv, defaultDB), dbUsage)
	if err := fset.Parse(args); err != nil {
		return err
	}
	// Reading only: stats work on a read-only volume and beside an import.
	cat, err := openReading(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	defer cat.Close()
	info, err := cat.Info(ctx)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	last := info.LastImport
	if last == "" {
		last = "never"
	}
	fmt.Fprintf(stdout, "database     %s (%s)\nschema       version %d\nvideos       %s\nsegments     %s\nlast import  %s\n",
		shownDB(*dbPath), humanBytes(info.SizeBytes), info.SchemaVersion, count(info.Videos), count(info.Segments), last)
	clusters, err := cat.Clusters(ctx, statsClusters)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	printClusters(stdout, clusters)
	return nil
}

// statsClusters is how many clusters of repeated text web stats lists.
const statsClusters = 20

// printClusters lists clusters of repeated text, most widely said first.
func printClusters(w io.Writer, cs []catalog.Cluster) {
	if len(cs) == 0 {
		fmt.Fprintln(w, "repeated text  none found")
		return
	}
	fmt.Fprintf(w, "repeated text  (sponsor reads, intros, outros; web repeats mark CLUSTER content|repeated)\n")
	fmt.Fprintf(w, "  %-20s %8s %8s  %s\n", "cluster", "videos", "lines", "begins")
	for _, c := range cs {
		sample := c.Sample
		switch c.Verdict {
		case "content":
			sample = "(marked content: not repeated text)"
		case "repeated":
			sample = "(kept as repeated text) " + sample
		}
		fmt.Fprintf(w, "  %-20d %8s %8s  %s\n", c.ID, count(c.Videos), count(c.Segments), excerpt.Words(sample, 70))
	}
}

// repeatsCmd lists the clusters of repeated text, or records an
// operator's verdict on one: web repeats [-db PATH] [mark CLUSTER
// content|repeated].
func repeatsCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("web repeats", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dbPath := fset.String("db", dbFromEnv(getenv, defaultDB), dbUsage)
	limit := fset.Int("n", 100, "clusters to list")
	rest, err := parseInterspersed(fset, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		cat, err := openReading(ctx, *dbPath)
		if err != nil {
			return fmt.Errorf("repeats: %w", err)
		}
		defer cat.Close()
		cs, err := cat.Clusters(ctx, *limit)
		if err != nil {
			return fmt.Errorf("repeats: %w", err)
		}
		printClusters(stdout, cs)
		return nil
	case len(rest) == 3 && rest[0] == "mark":
		cluster, err := strconv.ParseInt(rest[1], 10, 64)
		if err != nil {
			return fmt.Errorf("repeats: %q is not a cluster number (web repeats lists them)", rest[1])
		}
		cat, err := openExisting(ctx, *dbPath)
		if err != nil {
			return fmt.Errorf("repeats: %w", err)
		}
		defer cat.Close()
		if err := cat.SetVerdict(ctx, cluster, rest[2]); err != nil {
			return fmt.Errorf("repeats: %w", err)
		}
		fmt.Fprintf(stdout, "cluster %d is now %s; the choice stays across imports\n", cluster, rest[2])
		return nil
	}
	return fmt.Errorf("repeats: usage: web repeats [-db PATH] [mark CLUSTER content|repeated]")
}

// parseInterspersed parses flags wherever they stand among the other
// arguments (web import a.jsonl -db x.db), as people type them, and returns
// the others in order; after "--" every argument is one of them.
func parseInterspersed(fset *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		left := fset.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if consumed := len(args) - len(left); consumed > 0 && args[consumed-1] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}
