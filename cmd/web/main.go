// Command web serves the transcript website and manages its database.
//
//	web [-addr localhost:8080] [-db data/transcripts.db|postgres://…]   serve the site
//	web import -db PATH [flags] FILE|DIR...                load transcripts (JSON Lines, JSON, CSV/TSV, Parquet, SRT, WebVTT)
//	web fetch -db PATH [flags] URL|@FILE...                fetch channels, playlists, videos with yt-dlp and import them
//	web fetch -db PATH -update                             check the channels and playlists fetched before
//	web delete -db PATH VIDEO_ID...                        remove videos
//	web stats -db PATH                                     counts, size, schema version
//	web healthcheck [-addr localhost:8080]                 probe a running server
//
// -db names a SQLite file or, as a postgres:// URL, a PostgreSQL database
// (env DB_PATH, then DATABASE_URL). With neither, the database
// data/transcripts.db is built from the embedded sample on first start.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/transcripts/site/data"
	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/docs"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/pagecache"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/static"
)

const (
	defaultAddr      = "localhost:8080"
	defaultDB        = "data/transcripts.db"
	defaultPlayerURL = "https://www.youtube-nocookie.com/embed/" // YouTube's privacy-enhanced embed
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "web:", err)
		}
		os.Exit(1)
	}
}

// run dispatches a subcommand; with none it serves the site.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return serveCmd(ctx, args[1:], getenv, stderr, nil)
		case "import":
			return importCmd(ctx, args[1:], getenv, stdout, stderr)
		case "fetch":
			return fetchCmd(ctx, args[1:], getenv, stdout, stderr)
		case "delete":
			return deleteCmd(ctx, args[1:], getenv, stdout, stderr)
		case "stats":
			return statsCmd(ctx, args[1:], getenv, stdout, stderr)
		case "repeats":
			return repeatsCmd(ctx, args[1:], getenv, stdout, stderr)
		case "healthcheck":
			return healthcheckCmd(ctx, args[1:], getenv, stderr)
		}
	}
	return serveCmd(ctx, args, getenv, stderr, nil)
}

// Config is everything the server is configured with, from flags with the
// environment as fallback.
type Config struct {
	Addr          string
	DBPath        string
	DBExplicit    bool // given by -db, DB_PATH or DATABASE_URL: never built from the sample
	SearchTimeout time.Duration
	// BaseURL is the site's public origin for absolute links (previews,
	// feeds, sitemap); empty means the origin of each request.
	BaseURL string
	// TrustProxy believes the X-Forwarded-Proto and X-Forwarded-Host
	// headers of requests (a proxy in front sets them); without it they
	// are ignored, as any client may send them.
	TrustProxy bool
	// CORS lets pages of other origins read the JSON API.
	CORS bool
	// CacheBytes bounds the rendered pages kept in memory.
	CacheBytes int
	// PlayerURL is the embed URL the "Watch here" player appends a video
	// id to: a stand-in in tests; empty means defaultPlayerURL.
	PlayerURL string
	// VersionTTL is how long the catalog version read is trusted (0: read
	// it for every request, as tests do).
	VersionTTL time.Duration
	// Limits bound the searches running and waiting at once (zero
	// values: sized to the database pool).
	Limits searchLimits
	// MemoryLimit is the soft limit set on the Go heap while serving (0:
	// the runtime's own, as GOMEMLIMIT configures it).
	MemoryLimit int64
	// Build names the program in ETags (buildID; "" in tests: the start
	// time).
	Build string
}

// heapHeadroom is the Go heap allowed beyond the page cache while
// serving: rendering and searching make short-lived garbage, and without
// a limit the collector lets the heap grow to twice what is live (a
// filled 32 MB cache and many distinct pages: 138 MB resident at 1M
// segments; with the limit, 97 MB).
const heapHeadroom = 32 << 20

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fset := flag.NewFlagSet("web", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cfg := Config{}
	fset.StringVar(&cfg.Addr, "addr", envOr(getenv, "ADDR", defaultAddr), "address to listen on (env ADDR)")
	fset.StringVar(&cfg.DBPath, "db", dbFromEnv(getenv, ""), dbUsage+" to serve (default "+defaultDB+", built from the sample if missing)")
	fset.DurationVar(&cfg.SearchTimeout, "search-timeout", 5*time.Second, "longest time one search may take")
	fset.StringVar(&cfg.BaseURL, "base-url", envOr(getenv, "BASE_URL", ""), "public origin for absolute links, e.g. https://transcripts.example (env BASE_URL; default: each request's)")
	fset.BoolVar(&cfg.TrustProxy, "trust-proxy", getenv("TRUST_PROXY") == "1", "believe X-Forwarded-Proto and X-Forwarded-Host, set by a proxy in front (env TRUST_PROXY=1)")
	fset.BoolVar(&cfg.CORS, "cors", getenv("CORS") == "1", "allow other origins to read the JSON API (env CORS=1)")
	cacheMB := fset.Int("cache-mb", 32, "memory for rendered pages and search results, in MB (0: no cache)")
	fset.StringVar(&cfg.PlayerURL, "player-url", "", "embed URL of the \"Watch here\" player, to which a video id is appended (default "+defaultPlayerURL+")")
	if err := fset.Parse(args); err != nil {
		return Config{}, err
	}
	if fset.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q (subcommands: import, fetch, delete, stats, healthcheck)", fset.Arg(0))
	}
	if *cacheMB < 0 {
		return Config{}, fmt.Errorf("-cache-mb must be 0 or more")
	}
	cfg.CacheBytes = *cacheMB << 20
	if getenv("GOMEMLIMIT") == "" {
		cfg.MemoryLimit = int64(cfg.CacheBytes) + heapHeadroom
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return Config{}, fmt.Errorf("-base-url %q must be an origin like https://transcripts.example", cfg.BaseURL)
		}
		cfg.BaseURL = u.Scheme + "://" + u.Host
	}
	cfg.VersionTTL = versionTTL
	cfg.DBExplicit = cfg.DBPath != ""
	if !cfg.DBExplicit {
		cfg.DBPath = defaultDB
	}
	return cfg, nil
}

// dbUsage describes the -db flag of every command.
const dbUsage = "SQLite database file, or PostgreSQL database as postgres://USER@HOST/NAME (env DB_PATH, then DATABASE_URL)"

// dbFromEnv is -db's value when the flag is not given.
func dbFromEnv(getenv func(string) string, fallback string) string {
	return envOr(getenv, "DB_PATH", envOr(getenv, "DATABASE_URL", fallback))
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

// serveCmd serves the site until ctx is done. If ready is not nil it
// receives the listening address once requests are accepted (for tests).
func serveCmd(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	cfg, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	// Before anything else: the program that runs, as it was started.
	cfg.Build = buildID(cfg.BaseURL, cfg.PlayerURL, strconv.FormatBool(cfg.TrustProxy))
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if cfg.MemoryLimit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(cfg.MemoryLimit))
	}

	cat, err := openServed(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer cat.Close()
	srv, err := newServer(cfg, cat, search.New(cat.SearchIndex(), cfg.SearchTimeout), log)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{
		Handler:           srv.handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("serving", "db", shownDB(cfg.DBPath), "url", "http://"+browsable(ln.Addr().String())+"/")
	switch {
	case cfg.BaseURL == "" && cfg.TrustProxy:
		log.Warn("-base-url is unset: absolute links in feeds, previews and the API follow each request's X-Forwarded-Proto and X-Forwarded-Host (-trust-proxy) or Host")
	case cfg.BaseURL == "":
		log.Warn("-base-url is unset: absolute links in feeds, previews and the API follow the Host each request names; X-Forwarded-* headers are ignored (see -trust-proxy)")
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// openServed opens the collection to serve: a PostgreSQL database (a
// primary or a replica), or a SQLite file, built from the sample when it
// is the default and missing, checkpointed while served.
func openServed(ctx context.Context, cfg Config, log *slog.Logger) (collection, error) {
	if postgres.IsURL(cfg.DBPath) {
		return postgres.Open(ctx, cfg.DBPath, postgres.Existing())
	}
	if err := ensureDatabase(ctx, cfg, log); err != nil {
		return nil, err
	}
	cat, err := openServing(ctx, cfg.DBPath, log)
	if err != nil {
		return nil, err
	}
	go checkpointEvery(ctx, cat, checkpointInterval, log)
	return cat, nil
}

// openServing opens the database to serve. A schema that must be
// migrated while an import holds the write lock is waited for, a few
// times, saying so; a current schema is never written.
func openServing(ctx context.Context, path string, log *slog.Logger) (*catalog.Catalog, error) {
	const attempts = 6 // each waits out SQLite's 10 s busy timeout first
	for i := 1; ; i++ {
		cat, err := catalog.OpenReadOnly(ctx, path)
		if err == nil || !errors.Is(err, catalog.ErrLocked) || i == attempts || ctx.Err() != nil {
			return cat, err
		}
		log.Warn("waiting for the process writing the database (an import?) to finish, to bring its schema up to date",
			"db", path, "attempt", i, "of", attempts)
	}
}

// checkpointInterval is how often a serving process folds the database's
// write-ahead log back into it.
const checkpointInterval = time.Minute

// checkpointEvery checkpoints the catalog every interval until ctx is
// done, so a log an import left large (a failed one, or one beside the
// server) does not stay so until the server stops.
func checkpointEvery(ctx context.Context, cat *catalog.Catalog, interval time.Duration, log *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := cat.Checkpoint(ctx); err != nil && ctx.Err() == nil {
				log.Warn("checkpoint", "err", err)
			}
		}
	}
}

// browsable turns a listening address into one a browser can open.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// ensureDatabase builds the default database from the embedded sample when
// it does not exist yet. An explicitly named database must exist.
func ensureDatabase(ctx context.Context, cfg Config, log *slog.Logger) error {
	if _, err := os.Stat(cfg.DBPath); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("database %s: %w", cfg.DBPath, err)
	}
	if cfg.DBExplicit {
		return fmt.Errorf("database %s does not exist; create it with: web import -db %s FILE.jsonl (or omit -db to serve the built-in sample)", cfg.DBPath, cfg.DBPath)
	}
	log.Info("database not found: building it from the embedded sample", "db", cfg.DBPath)
	if err := os.MkdirAll(filepath.Dir(cfg.DBPath), 0o755); err != nil {
		return fmt.Errorf("build sample database: %w", err)
	}
	// Build beside the target and rename, so an interrupted build never
	// leaves a half-built database behind to be served next time.
	tmp := cfg.DBPath + ".building"
	removeDB(tmp)
	stats, err := importInto(ctx, tmp, ingest.JSONLines(bytes.NewReader(data.Sample), data.SampleName), catalog.ImportOptions{})
	if err != nil {
		removeDB(tmp)
		return fmt.Errorf("build sample database: %w", err)
	}
	if err := os.Rename(tmp, cfg.DBPath); err != nil {
		removeDB(tmp)
		return fmt.Errorf("build sample database: %w", err)
	}
	log.Info("built sample database", "videos", stats.Videos, "segments", stats.Segments, "took", stats.Elapsed.Round(time.Millisecond))
	return nil
}

// removeDB removes a database file and its WAL companions.
func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + suffix)
	}
}

// healthcheckCmd probes a running server's /healthz, for the container's
// HEALTHCHECK (the runtime image has no curl).
func healthcheckCmd(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fset := flag.NewFlagSet("web healthcheck", flag.ContinueOnError)
	fset.SetOutput(stderr)
	addr := fset.String("addr", envOr(getenv, "ADDR", defaultAddr), "address of the running server (env ADDR)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+browsable(*addr)+"/healthz", nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}

// newServer loads what every request needs: hashed assets and rendered
// Markdown pages.
func newServer(cfg Config, cat store, engine *search.Engine, log *slog.Logger) (*server, error) {
	assets, err := static.Load()
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(data.Pages, "pages")
	if err != nil {
		return nil, err
	}
	pages, err := docs.Load(sub)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"about", "search-help"} {
		if _, ok := pages[name]; !ok {
			return nil, fmt.Errorf("docs: data/pages/%s.md is missing", name)
		}
	}
	if cfg.PlayerURL == "" { // the one place the default is applied, for flags and tests alike
		cfg.PlayerURL = defaultPlayerURL
	}
	if cfg.Build == "" {
		cfg.Build = strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	player, err := url.Parse(cfg.PlayerURL)
	if err != nil || player.Host == "" {
		return nil, fmt.Errorf("-player-url %q is not an absolute URL", cfg.PlayerURL)
	}
	return &server{
		catalog: cat, search: engine, assets: assets, docs: pages, log: log,
		baseURL: cfg.BaseURL, trustProxy: cfg.TrustProxy, cors: cfg.CORS,
		playerURL: cfg.PlayerURL, playerOrigin: player.Scheme + "://" + player.Host,
		pages:    pagecache.New(cfg.CacheBytes),
		limiter:  newSearchLimiter(cfg.Limits),
		version:  &versionCache{read: cat.Version, ttl: cfg.VersionTTL, build: cfg.Build},
		tipCache: &tipsCache{},
	}, nil
}
