package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/data"
	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/internal/search"
)

// testApp is the real application over a real database built from the
// shipped sample plus extra JSON Lines rows: a SQLite file, or a database
// of the test cluster when WEB_TEST_BACKEND=postgres (see TestMain).
type testApp struct {
	echo    *echo.Echo   // the application, for tests that add a route
	handler http.Handler // the site as served: the page cache, then echo
	catalog collection
	db      string     // the SQLite file or the PostgreSQL URL
	clock   *testClock // the catalog's clock: imports happen when it says
	server  *server
	logs    *bytes.Buffer
}

// testSearchTimeout is the search timeout of the test servers: long, so
// no test's outcome depends on how fast the machine is (-race on two
// cores is slow); tests of the timeout set their own.
const testSearchTimeout = time.Minute

func newTestApp(t testing.TB, extra ...string) *testApp {
	t.Helper()
	return newTestAppWith(t, Config{SearchTimeout: testSearchTimeout, CacheBytes: 8 << 20}, extra...)
}

func newTestAppWith(t testing.TB, cfg Config, extra ...string) *testApp {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	var cat collection
	var err error
	db := filepath.Join(t.TempDir(), "web.db")
	if testPostgres != nil {
		db = testPostgres.NewDatabase(t)
		cat, err = postgres.Open(ctx, db, postgres.WithClock(clock.now))
	} else {
		cat, err = catalog.Open(ctx, db, catalog.WithClock(clock.now))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	if _, err := cat.Import(ctx, ingest.JSONLines(bytes.NewReader(data.Sample), "sample.jsonl"), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(extra) > 0 {
		if _, err := cat.Import(ctx, ingest.JSONLines(strings.NewReader(strings.Join(extra, "\n")), "extra.jsonl"), catalog.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	logs := &bytes.Buffer{}
	srv, err := newServer(cfg, cat, search.New(cat.SearchIndex(), cfg.SearchTimeout), slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e := srv.app()
	return &testApp{echo: e, handler: srv.fromCache(e), catalog: cat, db: db, clock: clock, server: srv, logs: logs}
}

// testClock is a time the test moves forward by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// exec changes the database behind the site's back, as another tool
// would, through the test's own connection (SQL both backends read).
func (a *testApp) exec(t *testing.T, query string) {
	t.Helper()
	if postgres.IsURL(a.db) {
		conn, err := pgx.Connect(context.Background(), a.db)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), query); err != nil {
			t.Fatal(err)
		}
		return
	}
	db, err := sql.Open("sqlite", "file:"+a.db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

// get performs a request through the whole Echo stack.
func (a *testApp) get(t *testing.T, target string) *http.Response {
	t.Helper()
	// As a browser does, the fragment of a link is not sent.
	target, _, _ = strings.Cut(target, "#")
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Result()
}

// page fetches target, checks its status and parses it.
func (a *testApp) page(t *testing.T, target string, wantStatus int) *goquery.Document {
	t.Helper()
	resp := a.get(t, target)
	defer resp.Body.Close()
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d", target, resp.StatusCode, wantStatus)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("GET %s: Content-Type %q", target, ct)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	// Every page has the layout: a search form to /search and a main.
	form := doc.Find(`header form[action="/search"][method="get"] input[name="q"]`)
	if form.Length() != 1 || doc.Find("main#main").Length() != 1 {
		t.Errorf("GET %s: page without the layout's search form or main", target)
	}
	return doc
}

func row(id string, start, end int, text, title string) string {
	return fmt.Sprintf(`{"video_id":%q,"text":%q,"start_second":%d,"end_second":%d,"title":%q,"thumbnail":""}`, id, text, start, end, title)
}

func TestHomeListsCatalog(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/", http.StatusOK)
	cards := doc.Find("ul.grid > li.card")
	if cards.Length() != 4 {
		t.Fatalf("%d cards, want the sample's 4 videos", cards.Length())
	}
	want := map[string]string{ // video → "length · lines" from the sample
		"MpdbFLXOOIw": "30:03 · 34 lines",
		"1L83tM8nwHU": "20:47 · 40 lines",
		"mPFq5KMxKVw": "10:07 · 24 lines",
		"5cySIwg49RI": "0:38 · 2 lines",
	}
	cards.Each(func(i int, card *goquery.Selection) {
		title := card.Find("a.title")
		href, _ := title.Attr("href")
		id := strings.TrimPrefix(href, "/videos/")
		meta, ok := want[id]
		if !ok {
			t.Errorf("card %d links to %q", i, href)
			return
		}
		if got := card.Find(".meta").Text(); got != meta {
			t.Errorf("%s meta %q, want %q", id, got, meta)
		}
		img := card.Find("img")
		if alt, _ := img.Attr("alt"); alt != strings.TrimSpace(title.Text()) || alt == "" {
			t.Errorf("%s thumbnail alt %q, want the title %q", id, alt, title.Text())
		}
		for attr, want := range map[string]string{"loading": "lazy", "width": "480", "height": "270"} {
			if got, _ := img.Attr(attr); got != want {
				t.Errorf("%s thumbnail %s=%q, want %q", id, attr, got, want)
			}
		}
		if src, _ := img.Attr("src"); !strings.HasPrefix(src, "https://i.ytimg.com/vi/"+id+"/") {
			t.Errorf("%s thumbnail src %q", id, src)
		}
	})
	if got := doc.Find("p.lede").Text(); !strings.Contains(got, "4 videos") || !strings.Contains(got, "100 transcript lines") {
		t.Errorf("summary %q", got)
	}
	if doc.Find("nav.pager").Length() != 0 {
		t.Error("a pager on a single page")
	}
}

func TestHomePaginates(t *testing.T) {
	var extra []string
	for i := range 30 {
		extra = append(extra, row(fmt.Sprintf("zzzzzzzz%03d", i), 0, 10, "words", fmt.Sprintf("Video %02d", i)))
	}
	app := newTestApp(t, extra...)
	first := app.page(t, "/", http.StatusOK)
	if n := first.Find("li.card").Length(); n != videosPerPage {
		t.Errorf("page 1 has %d cards, want %d", n, videosPerPage)
	}
	next, _ := first.Find(`nav.pager a[rel="next"]`).Attr("href")
	if next != "/?page=2" {
		t.Fatalf("next link %q", next)
	}
	second := app.page(t, next, http.StatusOK)
	if n := second.Find("li.card").Length(); n != 34-videosPerPage {
		t.Errorf("page 2 has %d cards, want %d", n, 34-videosPerPage)
	}
	if prev, _ := second.Find(`nav.pager a[rel="prev"]`).Attr("href"); prev != "/" {
		t.Errorf("prev link %q, want /", prev)
	}
	app.page(t, "/?page=3", http.StatusNotFound)
	for _, bad := range []string{"/?page=0", "/?page=-1", "/?page=abc", "/?page=99999999999999999999"} {
		doc := app.page(t, bad, http.StatusBadRequest)
		if !strings.Contains(doc.Find("main").Text(), "page number") {
			t.Errorf("%s: no explanation", bad)
		}
	}
}

func TestVideoPageTranscript(t *testing.T) {
	app := newTestApp(t)
	const id = "MpdbFLXOOIw"
	doc := app.page(t, "/videos/"+id, http.StatusOK)
	if h1 := doc.Find("h1").Text(); h1 != "Supervised Contrastive Learning" {
		t.Errorf("h1 %q", h1)
	}
	if href, _ := doc.Find("a.button").Attr("href"); href != "https://www.youtube.com/watch?v="+id {
		t.Errorf("watch link %q", href)
	}
	if alt, _ := doc.Find(".video-head img").Attr("alt"); !strings.Contains(alt, "Supervised Contrastive Learning") {
		t.Errorf("thumbnail alt %q", alt)
	}
	segs, err := app.catalog.Transcript(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	lines := doc.Find("ol.transcript > li")
	if lines.Length() != len(segs) || len(segs) != 34 {
		t.Fatalf("%d lines for %d segments", lines.Length(), len(segs))
	}
	lines.Each(func(i int, li *goquery.Selection) {
		s := segs[i]
		if got, _ := li.Attr("id"); got != fmt.Sprintf("t%d", s.Start) {
			t.Errorf("line %d id %q, want t%d", i, got, s.Start)
		}
		a := li.Find("a.ts")
		if href, _ := a.Attr("href"); href != fmt.Sprintf("https://www.youtube.com/watch?v=%s&t=%ds", id, s.Start) {
			t.Errorf("line %d links to %q", i, href)
		}
		if got := a.Text(); got != clockText(s.Start) {
			t.Errorf("line %d timestamp %q, want %q", i, got, clockText(s.Start))
		}
		if dt, _ := a.Find("time").Attr("datetime"); dt != isoText(s.Start) {
			t.Errorf("line %d datetime %q", i, dt)
		}
		if got := li.Find("p").Text(); got != s.Text {
			t.Errorf("line %d text %q, want %q", i, got, s.Text)
		}
	})
	// The first line of the sample: 838 s is 13:58.
	if got := doc.Find("li#t838 a.ts").Text(); got != "13:58" {
		t.Errorf("t838 shows %q, want 13:58", got)
	}
}

func TestVideoPageUntitled(t *testing.T) {
	app := newTestApp(t, row("Untitled_01", 5, 3725, "hello there", ""))
	doc := app.page(t, "/videos/Untitled_01", http.StatusOK)
	if h1 := doc.Find("h1").Text(); h1 != "Untitled video (Untitled_01)" {
		t.Errorf("h1 %q", h1)
	}
	if meta := doc.Find(".video-head .meta").Text(); meta != "1:02:05 · 1 transcript line" {
		t.Errorf("meta %q", meta)
	}
	if src, _ := doc.Find(".video-head img").Attr("src"); src != "https://i.ytimg.com/vi/Untitled_01/hqdefault.jpg" {
		t.Errorf("thumbnail %q", src)
	}
	v, _ := app.catalog.Video(context.Background(), "Untitled_01")
	if v.Title != "" {
		t.Errorf("title %q invented in the database", v.Title)
	}
}

func TestNotFoundPages(t *testing.T) {
	app := newTestApp(t)
	for _, target := range []string{"/videos/nopenopenop", "/videos/bad", "/videos/%3Cscript%3E", "/no/such/page", "/static/site.css"} {
		doc := app.page(t, target, http.StatusNotFound)
		if h1 := doc.Find("h1").Text(); h1 != "Page not found" {
			t.Errorf("%s: h1 %q", target, h1)
		}
		if doc.Find(`main a[href="/"]`).Length() == 0 {
			t.Errorf("%s: no way back to the catalog", target)
		}
	}
}

func TestSearchResults(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/search?q=augment", http.StatusOK)
	if v, _ := doc.Find(`header input[name="q"]`).Attr("value"); v != "augment" {
		t.Errorf("search box holds %q", v)
	}
	if got := doc.Find("p.lede").Text(); got != "9 moments in 2 videos" {
		t.Errorf("summary %q", got)
	}
	hits := doc.Find("ol.results > li.hit")
	if hits.Length() != 9 {
		t.Fatalf("%d hits, want 9", hits.Length())
	}
	hits.Each(func(i int, hit *goquery.Selection) {
		line, _ := hit.Find("h2 a").Attr("href")
		u, err := url.Parse(line)
		if err != nil || !strings.HasPrefix(u.Path, "/videos/") || !strings.HasPrefix(u.Fragment, "t") {
			t.Errorf("hit %d line link %q", i, line)
			return
		}
		id := strings.TrimPrefix(u.Path, "/videos/")
		start, _ := strconv.Atoi(strings.TrimPrefix(u.Fragment, "t"))
		// The YouTube link starts when the matched words are spoken: in
		// the segment, after its start unless they open it.
		watch, _ := hit.Find("a.ts").Attr("href")
		wu, _ := url.Parse(watch)
		moment, _ := strconv.Atoi(strings.TrimSuffix(wu.Query().Get("t"), "s"))
		if wu.Host != "www.youtube.com" || wu.Query().Get("v") != id || (moment != 0 && moment < start) || moment > start+30 {
			t.Errorf("hit %d YouTube link %q for line %q", i, watch, line)
		}
		if got := hit.Find("a.ts").Text(); got != clockText(max(moment, start)) {
			t.Errorf("hit %d shows %q for a link to %ds", i, got, moment)
		}
		if alt, _ := hit.Find("img").Attr("alt"); alt == "" {
			t.Errorf("hit %d thumbnail without alt", i)
		}
		marks := hit.Find(".snippet mark")
		if marks.Length() == 0 {
			t.Errorf("hit %d has no highlighted word", i)
		}
		marks.Each(func(_ int, m *goquery.Selection) {
			if !strings.HasPrefix(strings.ToLower(m.Text()), "augment") {
				t.Errorf("hit %d highlights %q", i, m.Text())
			}
		})
		// The line the hit links to exists on the video page.
		if app.page(t, u.Path, http.StatusOK).Find("li#"+u.Fragment).Length() != 1 {
			t.Errorf("hit %d: no line %s on %s", i, u.Fragment, u.Path)
		}
	})
}

func TestSearchPagerKeepsQuery(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/search?q=the+OR+a&group=none", http.StatusOK)
	if n := doc.Find("li.hit").Length(); n != search.PerPage {
		t.Fatalf("%d hits on page 1", n)
	}
	next, ok := doc.Find(`nav.pager a[rel="next"]`).Attr("href")
	u, _ := url.Parse(next)
	if !ok || u.Path != "/search" || u.Query().Get("q") != "the OR a" || u.Query().Get("page") != "2" || u.Query().Get("group") != "none" {
		t.Fatalf("next link %q", next)
	}
	second := app.page(t, next, http.StatusOK)
	prev, _ := second.Find(`nav.pager a[rel="prev"]`).Attr("href")
	u, _ = url.Parse(prev)
	if u.Query().Get("q") != "the OR a" || u.Query().Has("page") {
		t.Errorf("prev link %q", prev)
	}
	first := doc.Find("li.hit h2 a").First().AttrOr("href", "")
	if second.Find("li.hit h2 a").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.AttrOr("href", "") == first }).Length() != 0 {
		// Two segments can share a line link only if they are the same.
		t.Errorf("page 2 repeats page 1's first hit %s", first)
	}
}

func TestSearchEmptyShowsHelp(t *testing.T) {
	app := newTestApp(t)
	for _, target := range []string{"/search", "/search?q=", "/search?q=+++"} {
		doc := app.page(t, target, http.StatusOK)
		if doc.Find("h1").Text() != "Search" || doc.Find("main code").Length() < 5 {
			t.Errorf("%s: no syntax help", target)
		}
	}
}

func TestSearchNothingMatched(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/search?q=xylophone", http.StatusOK)
	if got := doc.Find(".notice").Text(); !strings.Contains(got, "Nothing matched “xylophone”") || !strings.Contains(got, "prefix") {
		t.Errorf("notice %q", got)
	}
	if doc.Find("li.hit").Length() != 0 {
		t.Error("hits for a word not in the sample")
	}
}

func TestOddQueriesAreFriendly(t *testing.T) {
	app := newTestApp(t)
	queries := []string{`c++`, `what's`, `"unbalanced`, `NEAR(`, strings.Repeat("é", 3000), `😀`, `-the`, `'; DROP TABLE segments; --`,
		`<script>alert(1)</script>`, `a OR`, `*`, `()`, "\x00", strings.Repeat("word ", 100)}
	// Nothing to search for is the reader's mistake, explained on the
	// results page with a 400; anything else is searched.
	unsearchable := map[string]bool{`😀`: true, `-the`: true, `*`: true, `()`: true, "\x00": true}
	for _, q := range queries {
		resp := app.get(t, "/search?q="+url.QueryEscape(q))
		body, _ := io.ReadAll(resp.Body)
		want := http.StatusOK
		if unsearchable[q] {
			want = http.StatusBadRequest
		}
		if resp.StatusCode != want {
			t.Errorf("q=%.30q: status %d, want %d", q, resp.StatusCode, want)
		}
		if !bytes.Contains(body, []byte(`id="q"`)) && !bytes.Contains(body, []byte(`name="q"`)) {
			t.Errorf("q=%.30q: not a results page with a search box", q)
		}
		if bytes.Contains(body, []byte("<script>alert")) {
			t.Errorf("q=%.30q: query echoed unescaped", q)
		}
	}
	doc := app.page(t, "/search?q=-the", http.StatusBadRequest)
	if got := doc.Find(`.notice[role="alert"]`).Text(); !strings.Contains(got, "cannot only exclude") {
		t.Errorf("-the: notice %q", got)
	}
	for _, bad := range []string{"/search?q=the&page=0", "/search?q=the&page=10001", "/search?q=the&page=x"} {
		app.page(t, bad, http.StatusBadRequest)
	}
	// Bytes that are not text in a filter are the reader's mistake on
	// every backend (PostgreSQL refuses them outright).
	for _, bad := range []string{"/search?q=learning&speaker=%FF", "/search?q=learning&speaker=a%00b"} {
		doc := app.page(t, bad, http.StatusBadRequest)
		if got := doc.Find("main").Text(); !strings.Contains(got, "speaker: holds bytes that are not text") {
			t.Errorf("%s: page says %q", bad, got)
		}
	}
	app.page(t, "/search?q=learning&channel=%FF", http.StatusBadRequest)
	app.page(t, "/search?q=learning+speaker:%C3", http.StatusOK) // read as text: U+FFFD
}

func TestTranscriptTextIsEscaped(t *testing.T) {
	app := newTestApp(t, row("escapes_001", 0, 20, `watch out <b>bold</b> & <script>alert("x")</script> &amp; entity`, `A <i>title</i> & co`))
	resp := app.get(t, "/videos/escapes_001")
	body, _ := io.ReadAll(resp.Body)
	for _, raw := range []string{"<b>bold", "<script>alert", "<i>title"} {
		if bytes.Contains(body, []byte(raw)) {
			t.Errorf("video page contains raw %q", raw)
		}
	}
	doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if got := doc.Find("li#t0 p").Text(); got != `watch out <b>bold</b> & <script>alert("x")</script> &amp; entity` {
		t.Errorf("text shown as %q", got)
	}
	if got := doc.Find("h1").Text(); got != "A <i>title</i> & co" {
		t.Errorf("title shown as %q", got)
	}

	doc = app.page(t, "/search?q=bold+entity", http.StatusOK)
	snippet := doc.Find(".snippet")
	if got := snippet.Text(); !strings.Contains(got, `<b>bold</b> & <script>`) || !strings.Contains(got, "&amp; entity") {
		t.Errorf("snippet text %q", got)
	}
	if snippet.Find("b, script").Length() != 0 {
		t.Error("transcript text became markup in a snippet")
	}
	if marks := snippet.Find("mark"); marks.Length() != 2 || marks.First().Text() != "bold" {
		t.Errorf("marks %q", marks.Text())
	}
}

func TestDocPages(t *testing.T) {
	app := newTestApp(t)
	about := app.page(t, "/about", http.StatusOK)
	if about.Find("article.prose h1").Text() != "About Transcripts" {
		t.Errorf("about h1 %q", about.Find("h1").Text())
	}
	help := app.page(t, "/help/search", http.StatusOK)
	text := help.Find("article.prose").Text()
	for _, syntax := range []string{`"decision boundary"`, "trans*", "mixup OR cutmix", "network -neural", "sort", "group", "video", "time", "page"} {
		if !strings.Contains(text, syntax) {
			t.Errorf("search help does not document %s", syntax)
		}
	}
	if help.Find("table").Length() != 3 {
		t.Error("search help tables (syntax, parameters, keyboard) not rendered")
	}
}

func TestHealthz(t *testing.T) {
	app := newTestApp(t)
	resp := app.get(t, "/healthz")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	app.catalog.Close()
	if resp := app.get(t, "/healthz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("healthz with a closed database: %d", resp.StatusCode)
	}
}

func TestStaticAssetsAreHashedAndImmutable(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/", http.StatusOK)
	css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
	js, _ := doc.Find(`script[src]`).Attr("src")
	for _, asset := range []struct{ url, ctype string }{{css, "text/css"}, {js, "javascript"}} {
		if !strings.HasPrefix(asset.url, "/static/") || strings.Count(asset.url, ".") != 2 {
			t.Errorf("asset URL %q is not hashed", asset.url)
			continue
		}
		resp := app.get(t, asset.url)
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), asset.ctype) {
			t.Errorf("%s: %d %s", asset.url, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", asset.url, cc)
		}
		req := httptest.NewRequest(http.MethodGet, asset.url, nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		rec := httptest.NewRecorder()
		app.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d, want 304", asset.url, rec.Code)
		}
	}
}

func TestPanicBecomesErrorPage(t *testing.T) {
	app := newTestApp(t)
	app.echo.GET("/boom", func(echo.Context) error { panic("kaboom") })
	doc := app.page(t, "/boom", http.StatusInternalServerError)
	if doc.Find("h1").Text() != "Something went wrong" {
		t.Errorf("h1 %q", doc.Find("h1").Text())
	}
	if strings.Contains(doc.Text(), "kaboom") {
		t.Error("the panic's message reached the reader")
	}
	if !strings.Contains(app.logs.String(), "kaboom") {
		t.Error("the panic was not logged")
	}
}

func TestMethodNotAllowed(t *testing.T) {
	app := newTestApp(t)
	rec := httptest.NewRecorder()
	app.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/search?q=x", nil))
	if rec.Code != http.StatusMethodNotAllowed || !strings.Contains(rec.Body.String(), "<main") {
		t.Errorf("POST /search: %d", rec.Code)
	}
}

func TestSearchTimeoutIsExplained(t *testing.T) {
	app := newTestAppWith(t, Config{SearchTimeout: time.Nanosecond})
	doc := app.page(t, "/search?q=learning", http.StatusServiceUnavailable)
	if got := doc.Find(`.notice[role="alert"]`).Text(); !strings.Contains(got, "took too long") {
		t.Errorf("notice %q", got)
	}
	if v, _ := doc.Find(`header input[name="q"]`).Attr("value"); v != "learning" {
		t.Errorf("the query was lost: search box holds %q", v)
	}
}

// clockText is how a timestamp reads, written out here rather than taken
// from the code under test: 75 → "1:15", 3723 → "1:02:03".
func clockText(sec int) string {
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// youTubeAt is the YouTube URL of a moment, written out here: at 0 s the
// bare watch URL.
func youTubeAt(id string, sec int) string {
	if sec == 0 {
		return "https://www.youtube.com/watch?v=" + id
	}
	return fmt.Sprintf("https://www.youtube.com/watch?v=%s&t=%ds", id, sec)
}

// isoText is the datetime of a timestamp, written out here: 838 → "PT13M58S".
func isoText(sec int) string {
	s := "PT"
	if sec >= 3600 {
		s += strconv.Itoa(sec/3600) + "H"
	}
	if sec/60%60 > 0 {
		s += strconv.Itoa(sec/60%60) + "M"
	}
	if sec%60 > 0 || sec < 60 {
		s += strconv.Itoa(sec%60) + "S"
	}
	return s
}

func TestReferenceFormats(t *testing.T) {
	for sec, want := range map[int]string{0: "0:00", 75: "1:15", 838: "13:58", 3723: "1:02:03"} {
		if got := clockText(sec); got != want {
			t.Errorf("clockText(%d) = %q, want %q", sec, got, want)
		}
	}
	if got := isoText(838); got != "PT13M58S" {
		t.Errorf("isoText(838) = %q", got)
	}
	if got := isoText(3600); got != "PT1H" {
		t.Errorf("isoText(3600) = %q", got)
	}
}
