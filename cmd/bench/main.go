// Command bench measures the site the way its readers use it: it builds a
// database from a corpus, starts the real server on loopback, and times
// search pages of many distinct queries per frequency class against the
// bare FTS5 top-20 query through the same driver (the floor), then the
// throughput of search, video and catalog pages. It prints Markdown for
// BENCHMARKS.md.
//
//	python3 ../shared/bench/gen_corpus.py --segments 1000000 --seed 1 > /tmp/c1m.jsonl
//	go run ./cmd/bench -corpus /tmp/c1m.jsonl -db /tmp/b1m.db
//	go run ./cmd/bench -overload -db /tmp/b1m.db   # ordinary searches beside expensive ones (overload.go)
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/transcripts/site/data"
	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/internal/search"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type config struct {
	corpus, db, queries string
	group               string
	perClass, overlap   int
	duration            time.Duration
	conns               int
	overload            bool
	web                 string
	noFloor             bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.corpus, "corpus", "", "JSON Lines corpus to build the database from (when -db does not exist)")
	fs.StringVar(&cfg.db, "db", "", "database to measure (built from -corpus if missing)")
	fs.StringVar(&cfg.queries, "queries", "../shared/bench/queries_c1m.tsv", "query mix: class<TAB>query per line")
	fs.IntVar(&cfg.perClass, "per-class", 40, "distinct queries timed per class")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "length of each throughput run")
	fs.IntVar(&cfg.conns, "conns", 16, "concurrent connections of the throughput runs")
	fs.BoolVar(&cfg.overload, "overload", false, "time ordinary searches alone and beside 8 clients sending expensive queries (overload.go), nothing else")
	fs.StringVar(&cfg.web, "web", "", "server binary to measure (default: built from ./cmd/web)")
	fs.BoolVar(&cfg.noFloor, "no-floor", false, "skip timing FTS5's own top 20 (seconds a query for common words at 10M)")
	fs.StringVar(&cfg.group, "group", "", "group= of every search page: \"\" (by video when there are many, as readers get them), none (one ranked list) or video")
	fs.IntVar(&cfg.overlap, "overlap", 0, "only measure, for this many queries per class, the engine's first 20 hits against exhaustive ranking")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.db == "" {
		return errors.New("-db is required")
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	log := func(format string, a ...any) { fmt.Fprintf(stderr, format+"\n", a...) }

	if postgres.IsURL(cfg.db) {
		// A PostgreSQL database is imported beforehand (web import -db
		// URL CORPUS), and has no FTS5 to time the floor with.
		cfg.noFloor = true
	} else if _, err := os.Stat(cfg.db); errors.Is(err, os.ErrNotExist) {
		if cfg.corpus == "" {
			return fmt.Errorf("%s does not exist: give -corpus to build it", cfg.db)
		}
		log("building %s from %s", cfg.db, cfg.corpus)
		if err := build(ctx, cfg, out); err != nil {
			return err
		}
	}
	mix, err := loadQueries(cfg.queries, cfg.perClass)
	if err != nil {
		return err
	}
	if err := derive(mix, cfg.perClass); err != nil {
		return err
	}

	if cfg.overlap > 0 {
		return overlap(ctx, cfg, mix, cfg.overlap, out)
	}

	dir, err := os.MkdirTemp("", "bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	web := cfg.web
	if web == "" {
		web = filepath.Join(dir, "web")
		log("building the server")
		if out, err := exec.Command("go", "build", "-o", web, "./cmd/web").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if cfg.overload {
		return overload(web, cfg, mix, out, log)
	}

	// The engine, with no page cache in the way.
	srv, err := start(web, cfg.db, "-cache-mb", "0")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Server start-up to first answered request: %d ms\n\n", srv.startup.Milliseconds())
	log("timing the floor and the pages")
	if err := latencies(ctx, cfg, mix, srv, out); err != nil {
		srv.stop()
		return err
	}
	log("search throughput")
	fmt.Fprintf(out, "\n| throughput, %d connections, %s, no page cache | req/s | p50 | p99 |\n|---|---|---|---|\n", cfg.conns, cfg.duration)
	for _, class := range []string{"mid", "rare"} {
		var paths []string
		for _, q := range mix[class] {
			paths = append(paths, "/search?"+searchQuery(cfg, q))
		}
		r := load(srv.base, paths, nil, cfg)
		fmt.Fprintf(out, "| search, %s mix | %.1f | %s | %s |\n", class, r.rate, ms(r.p50), ms(r.p99))
	}
	rss := srv.peakRSS()
	srv.stop()
	fmt.Fprintf(out, "\nPeak RSS serving the searches above: %d MB\n", rss>>20)

	// Pages as readers get them: from the page cache, compressed or not.
	srv, err = start(web, cfg.db)
	if err != nil {
		return err
	}
	defer srv.stop()
	videos, err := someVideos(cfg.db, 50)
	if err != nil {
		return err
	}
	log("page throughput")
	fmt.Fprintf(out, "\n| throughput, %d connections, %s, page cache on | encoding | req/s | p50 | p99 | bytes |\n|---|---|---|---|---|---|\n", cfg.conns, cfg.duration)
	for _, page := range []struct {
		name  string
		paths []string
	}{
		{"one video page", []string{"/videos/" + videos[0]}},
		{"50 video pages", prefixed("/videos/", videos)},
		{"the catalog", []string{"/"}},
		{"a mid search", []string{"/search?" + url.Values{"q": {mix["mid"][0]}}.Encode()}},
	} {
		for _, enc := range []string{"identity", "gzip"} {
			r := load(srv.base, page.paths, map[string]string{"Accept-Encoding": enc}, cfg)
			fmt.Fprintf(out, "| %s | %s | %.0f | %s | %s | %d |\n", page.name, enc, r.rate, ms(r.p50), ms(r.p99), r.bytes)
		}
	}
	fmt.Fprintf(out, "\nPeak RSS: %d MB\n", srv.peakRSS()>>20)
	return nil
}

// searchQuery is the query string of q's results page.
func searchQuery(cfg config, q string) string {
	v := url.Values{"q": {q}}
	if cfg.group != "" {
		v.Set("group", cfg.group)
	}
	return v.Encode()
}

func prefixed(prefix string, ids []string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, prefix+id)
	}
	return out
}

// build imports the corpus into a new database and reports the time.
func build(ctx context.Context, cfg config, out io.Writer) error {
	cat, err := catalog.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer cat.Close()
	records, _, err := ingest.Read([]string{cfg.corpus}, ingest.Options{})
	if err != nil {
		return err
	}
	stats, err := cat.Import(ctx, records, catalog.ImportOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Import: %d segments of %d videos in %.1f s (%.0f segments/s)\n\n",
		stats.Segments, stats.Videos, stats.Elapsed.Seconds(), float64(stats.Segments)/stats.Elapsed.Seconds())
	return nil
}

// classOrder lists the classes of the query mix file, then those derived
// from it (phrase, prefix), which the whole-mix figures leave out so they
// stay comparable with the mix file's.
var (
	classOrder  = []string{"rare", "mid", "and", "common", "verycommon", "phrase", "prefix"}
	mixClasses  = 5
	wordPattern = regexp.MustCompile(`[a-z]+`)
)

// derive adds the two classes the mix file lacks, n queries each:
// "phrase", pairs of words that follow each other in the seed text the
// corpus generator chains words from (so they recur as phrases), from the
// most to the least frequent, quoted; and "prefix", the first four letters
// of mid-frequency words followed by *.
func derive(mix map[string][]string, n int) error {
	pairs := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data.Sample))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return fmt.Errorf("sample: %w", err)
		}
		words := wordPattern.FindAllString(strings.ToLower(row.Text), -1)
		for i := 1; i < len(words); i++ {
			if len(words[i-1]) > 2 && len(words[i]) > 2 {
				pairs[words[i-1]+" "+words[i]]++
			}
		}
	}
	ranked := slices.SortedFunc(maps.Keys(pairs), func(a, b string) int {
		if c := cmp.Compare(pairs[b], pairs[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	// Evenly spread over the ranking: common and rare phrases alike.
	for i := range min(n, len(ranked)) {
		mix["phrase"] = append(mix["phrase"], `"`+ranked[i*len(ranked)/min(n, len(ranked))]+`"`)
	}
	seen := map[string]bool{}
	for _, w := range mix["mid"] {
		if p := w[:min(4, len(w))] + "*"; len(w) > 4 && !seen[p] && len(mix["prefix"]) < n {
			seen[p] = true
			mix["prefix"] = append(mix["prefix"], p)
		}
	}
	return sc.Err()
}

// loadQueries reads the query mix, a deterministic sample of n per class.
func loadQueries(path string, n int) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	mix := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		class, q, ok := strings.Cut(line, "\t")
		if ok {
			mix[class] = append(mix[class], q)
		}
	}
	// The same sample every run: classes in a fixed order, each shuffled
	// by the same generator.
	rng := rand.New(rand.NewPCG(1, 1))
	for _, class := range slices.Sorted(maps.Keys(mix)) {
		qs := mix[class]
		rng.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
		mix[class] = qs[:min(n, len(qs))]
	}
	return mix, sc.Err()
}

// server is the web binary running on loopback.
type server struct {
	cmd     *exec.Cmd
	base    string
	startup time.Duration
}

func start(web, db string, args ...string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(web, append([]string{"-db", db, "-addr", addr}, args...)...)
	cmd.Stderr = io.Discard
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	for time.Since(began) < 30*time.Second {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.startup = time.Since(began)
				return s, nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.stop()
	return nil, errors.New("the server did not answer in 30 s")
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
}

// peakRSS reads the server's high-water mark of resident memory.
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// latencies times each query's bare top-20 FTS5 query in-process and its
// whole results page over HTTP, median of 3 each, and prints per class
// percentiles and the ratio of page to floor.
func latencies(ctx context.Context, cfg config, mix map[string][]string, srv *server, out io.Writer) error {
	var db *sql.DB
	if !cfg.noFloor {
		var err error
		if db, err = sql.Open("sqlite", "file:"+cfg.db+"?mode=ro&_pragma=query_only(1)"); err != nil {
			return err
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
	}
	client := &http.Client{Timeout: time.Minute}
	fmt.Fprintf(out, "| class | queries | floor p50 | page p50 | page p90 | page p99 | p50 ratio |\n|---|---|---|---|---|---|---|\n")
	var all []time.Duration
	for i, class := range classOrder {
		var floor, page []time.Duration
		for _, q := range mix[class] {
			parsed, err := search.Parse(q)
			if err != nil {
				return err
			}
			var f time.Duration
			if !cfg.noFloor {
				if f, err = median3(func() error { return top20(ctx, db, catalog.MatchExpr(parsed)) }); err != nil {
					return fmt.Errorf("floor %q: %w", q, err)
				}
			}
			p, err := median3(func() error { return get(client, srv.base+"/search?"+searchQuery(cfg, q), nil) })
			if err != nil {
				return fmt.Errorf("page %q: %w", q, err)
			}
			floor, page = append(floor, f), append(page, p)
		}
		if i < mixClasses {
			all = append(all, page...)
		}
		fmt.Fprintf(out, "| %s | %d | %s | %s | %s | %s | %.2f× |\n", class, len(page), ms(pct(floor, 50)), ms(pct(page, 50)), ms(pct(page, 90)), ms(pct(page, 99)),
			float64(pct(page, 50))/float64(pct(floor, 50)))
	}
	fmt.Fprintf(out, "| whole mix (the mix file's classes) | %d | | %s | %s | %s | |\n", len(all), ms(pct(all, 50)), ms(pct(all, 90)), ms(pct(all, 99)))
	return nil
}

// top20 is the floor: FTS5's own ranked top 20 with snippets, as the
// sqlite3 CLI anchor figures measure it.
func top20(ctx context.Context, db *sql.DB, match string) error {
	rows, err := db.QueryContext(ctx, `
		SELECT s.id, s.video_id, v.title, v.thumbnail, s.start_second, snippet(segments_fts, 0, '<mark>', '</mark>', '…', 16)
		FROM segments_fts
		JOIN segments s ON s.id = segments_fts.rowid
		JOIN videos v ON v.video_id = s.video_id
		WHERE segments_fts MATCH ? ORDER BY rank LIMIT 20`, match)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.Err()
}

func get(client *http.Client, u string, header map[string]string) error {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", u, resp.Status)
	}
	return err
}

func median3(f func() error) (time.Duration, error) {
	var ds []time.Duration
	for range 3 {
		t := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(t))
	}
	return pct(ds, 50), nil
}

// pct returns the p-th percentile (nearest rank).
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

type loadResult struct {
	rate     float64
	p50, p99 time.Duration
	bytes    int64 // of one response
}

// load requests paths round-robin over cfg.conns connections for
// cfg.duration and reports requests per second and latencies.
func load(base string, paths []string, header map[string]string, cfg config) loadResult {
	transport := &http.Transport{MaxIdleConnsPerHost: cfg.conns, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: time.Minute}
	defer transport.CloseIdleConnections()
	var (
		mu    sync.Mutex
		lat   []time.Duration
		n     atomic.Int64
		size  atomic.Int64
		wg    sync.WaitGroup
		until = time.Now().Add(cfg.duration)
	)
	for w := range cfg.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := w; time.Now().Before(until); i++ {
				req, _ := http.NewRequest(http.MethodGet, base+paths[i%len(paths)], nil)
				for k, v := range header {
					req.Header.Set(k, v)
				}
				t := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					continue
				}
				b, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					mine = append(mine, time.Since(t))
					n.Add(1)
					size.Store(b)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return loadResult{rate: float64(n.Load()) / cfg.duration.Seconds(), p50: pct(lat, 50), p99: pct(lat, 99), bytes: size.Load()}
}

// someVideos returns up to n video ids of the database.
func someVideos(path string, n int) ([]string, error) {
	if postgres.IsURL(path) {
		st, err := postgres.Open(context.Background(), path)
		if err != nil {
			return nil, err
		}
		defer st.Close()
		vs, err := st.FindVideos(context.Background(), catalog.VideoQuery{Sort: catalog.SortTitle, Limit: n})
		var ids []string
		for _, v := range vs {
			ids = append(ids, v.ID)
		}
		return ids, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT video_id FROM videos ORDER BY video_id LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
