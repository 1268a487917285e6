package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/transcripts/site/internal/fetch"
	"github.com/transcripts/site/internal/postgres"
)

// defaultFetchDelay is the pause between two calls of yt-dlp: YouTube
// answers a quick succession of requests with HTTP 429.
const defaultFetchDelay = 2 * time.Second

// fetchCmd fetches the subtitles of channels, playlists and videos with
// yt-dlp and imports them.
func fetchCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("web fetch", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dbPath := fset.String("db", dbFromEnv(getenv, defaultDB), dbUsage+"; a SQLite file is created if missing, and yt-dlp's files are kept in PATH.cache beside it")
	cacheDir := fset.String("cache", "", "folder of yt-dlp's files (default: PATH.cache beside a SQLite -db; required with a PostgreSQL one)")
	lang := fset.String("lang", "en", "subtitle language (yt-dlp's code: en, en-US, de, pt-BR)")
	auto := fset.Bool("auto-captions", false, "take YouTube's automatic captions even when the uploader's own subtitles exist (default: the uploader's, automatic captions only when there are none)")
	refresh := fset.Bool("refresh", false, "import videos already in the database again (from the cache when it has them)")
	update := fset.Bool("update", false, "check every channel and playlist fetched before for new videos")
	delay := fset.Duration("delay", defaultFetchDelay, "pause between two calls of yt-dlp (doubled after each rate limit)")
	ytdlp := fset.String("yt-dlp", "", "yt-dlp executable (default: yt-dlp on PATH)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: web fetch [-db PATH] [flags] URL|@FILE...   fetch channels, playlists or videos")
		fmt.Fprintln(stderr, "       web fetch [-db PATH] -update                check the channels and playlists fetched before")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return err
	}
	urls, err := fetchURLs(fset.Args())
	if err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	if len(urls) == 0 && !*update {
		fset.Usage()
		return errors.New("fetch: no URL given (or -update)")
	}
	if !fetch.ValidLang(*lang) {
		return fmt.Errorf("fetch: -lang %q is not a language code like en, en-US or pt-BR", *lang)
	}
	if *delay < 0 {
		return errors.New("fetch: -delay must be 0 or more")
	}
	tool, err := fetch.Locate(ctx, *ytdlp)
	if err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	plan := fetch.Plan{
		Options: fetch.Options{Lang: *lang, AutoCaptions: *auto},
		URLs:    urls, Update: *update, Refresh: *refresh,
		DBPath: shownDB(*dbPath), CacheDir: *cacheDir,
		Delay: *delay,
	}
	if postgres.IsURL(*dbPath) {
		if plan.CacheDir == "" {
			return errors.New("fetch: with a PostgreSQL -db, name a folder for yt-dlp's files with -cache DIR")
		}
		url := *dbPath
		plan.Open = func(ctx context.Context) (fetch.Store, error) { return postgres.Open(ctx, url) }
	} else if plan.CacheDir == "" {
		plan.CacheDir = fetch.DefaultCacheDir(*dbPath)
	}
	var progress fetch.Progress
	rep := newFetchReporter(stderr, &progress)
	sum, err := fetch.Run(ctx, tool, plan, &progress)
	rep.stop()
	printFetchSummary(stdout, tool, plan, sum)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("fetch interrupted: %s holds every batch imported so far; what was fetched is in %s and the same command imports it without fetching it again", plan.DBPath, plan.CacheDir)
	}
	if err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	if sum.Failed() {
		return fmt.Errorf("fetch: %s failed (listed above)", failedCount(sum))
	}
	return nil
}

// fetchURLs reads the URLs of the arguments: a URL as it is, @FILE as the
// URLs of FILE, one a line (blank lines and # comments skipped).
func fetchURLs(args []string) ([]string, error) {
	var urls []string
	for _, a := range args {
		name, ok := strings.CutPrefix(a, "@")
		if !ok {
			urls = append(urls, a)
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
				urls = append(urls, l)
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return urls, nil
}

func failedCount(s *fetch.Summary) string {
	var parts []string
	sources := 0
	for _, src := range s.Sources {
		if src.Err != nil {
			sources++
		}
	}
	if sources > 0 {
		parts = append(parts, plural(sources, "source", "sources"))
	}
	if n := len(s.Failures) + len(s.NotTried); n > 0 {
		parts = append(parts, plural(n, "video", "videos"))
	}
	return strings.Join(parts, " and ")
}

// printFetchSummary tells what a fetch did, each failure with its reason.
func printFetchSummary(w io.Writer, tool *fetch.YTDLP, plan fetch.Plan, s *fetch.Summary) {
	fmt.Fprintf(w, "fetch with yt-dlp %s into %s (cache %s)\n", tool.Version, plan.DBPath, plan.CacheDir)
	for _, src := range s.Sources {
		if src.Err != nil {
			fmt.Fprintf(w, "  %s: not listed: %v\n", src.URL, sourceError(src.Err))
			continue
		}
		name := src.Kind
		if src.Title != "" {
			name += " “" + src.Title + "”"
		}
		fmt.Fprintf(w, "  %s: %s, %s, %s new\n", src.URL, name, plural(src.Found, "video", "videos"), count(src.New))
	}
	fmt.Fprintf(w, "videos: %s found, %s already imported, %s fetched, %s from the cache, %s failed\n",
		count(s.Found), count(s.Skipped), count(s.Fetched), count(s.Cached), count(len(s.Failures)+len(s.NotTried)))
	if st := s.Imported; st.Videos > 0 {
		fmt.Fprintf(w, "imported %s segments of %s videos: %s added, %s updated; segments %s new, %s changed, %s unchanged\n",
			count(st.Segments), count(st.Videos), count(st.VideosAdded), count(st.VideosUpdated), count(st.Inserted), count(st.Updated), count(st.Unchanged))
		if st.Skipped > 0 {
			fmt.Fprintf(w, "  skipped %s unreadable cue(s)\n", count(st.Skipped))
		}
	}
	if len(s.Failures) > 0 {
		fmt.Fprintf(w, "failed (%d):\n", len(s.Failures))
		for _, f := range s.Failures {
			title := ""
			if f.Title != "" {
				title = " “" + f.Title + "”"
			}
			fmt.Fprintf(w, "  %s%s: %v\n", f.ID, title, f.Err)
		}
	}
	if len(s.NotTried) > 0 {
		fmt.Fprintf(w, "not tried (%d): YouTube refused %d videos in a row with a rate limit; run the same command again later: %s\n",
			len(s.NotTried), fetch.RateLimitStop, strings.Join(s.NotTried, " "))
	}
}

// sourceError explains a failed listing.
func sourceError(err error) error {
	var f *fetch.Failure
	if errors.As(err, &f) && f.Kind == fetch.Unsupported {
		return fmt.Errorf("yt-dlp does not recognise this URL (%s); give a channel, playlist or video address", f.Detail)
	}
	return err
}

// fetchReporter shows a fetch's progress: a status line redrawn on a
// terminal, a log line every 5 seconds otherwise.
type fetchReporter struct {
	out     io.Writer
	p       *fetch.Progress
	done    chan struct{}
	stopped chan struct{}
}

func newFetchReporter(out io.Writer, p *fetch.Progress) *fetchReporter {
	r := &fetchReporter{out: out, p: p, done: make(chan struct{}), stopped: make(chan struct{})}
	go r.run()
	return r
}

func (r *fetchReporter) run() {
	defer close(r.stopped)
	every, tty := 5*time.Second, false
	if f, ok := r.out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		every, tty = 200*time.Millisecond, true
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-r.done:
			if tty {
				fmt.Fprint(r.out, "\r\033[K")
			}
			return
		case <-tick.C:
			if tty {
				fmt.Fprint(r.out, "\r\033[K"+fetchStatus(r.p))
			} else {
				fmt.Fprintln(r.out, "fetch: "+fetchStatus(r.p))
			}
		}
	}
}

func (r *fetchReporter) stop() {
	close(r.done)
	<-r.stopped
}

// fetchStatus is one line of progress: found 120, 80 new: fetched 31,
// imported 20, failed 2.
func fetchStatus(p *fetch.Progress) string {
	return fmt.Sprintf("found %s, %s new: fetched %s, imported %s, failed %s",
		count(int(p.Found.Load())), count(int(p.ToFetch.Load())), count(int(p.Fetched.Load())),
		count(int(p.Imported.Load())), count(int(p.Failed.Load())))
}
