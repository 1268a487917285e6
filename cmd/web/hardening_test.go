package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
)

// getWith performs a GET with extra request headers through the site.
func (a *testApp) getWith(t *testing.T, target string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	resp := rec.Result()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// TestForwardedHeadersNeedTrustProxy: a client's X-Forwarded-Proto and
// -Host never become the origin of absolute links unless the server is
// told a proxy sets them, and then only as http or https and a host
// (issue 16, item 1).
func TestForwardedHeadersNeedTrustProxy(t *testing.T) {
	hostile := map[string]string{"X-Forwarded-Proto": "javascript:alert(1)//", "X-Forwarded-Host": "evil.example"}
	proxied := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "transcripts.example"}
	for _, tc := range []struct {
		name   string
		trust  bool
		header map[string]string
		want   string
	}{
		{"untrusted hostile", false, hostile, "http://example.com/"},
		{"untrusted proxy", false, proxied, "http://example.com/"},
		{"trusted hostile scheme", true, map[string]string{"X-Forwarded-Proto": "javascript:alert(1)//"}, "http://example.com/"},
		{"trusted bad host", true, map[string]string{"X-Forwarded-Host": "evil.example/x?"}, "http://example.com/"},
		{"trusted proxy", true, proxied, "https://transcripts.example/"},
		{"trusted list", true, map[string]string{"X-Forwarded-Proto": "https, http"}, "https://example.com/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := newTestAppWith(t, Config{SearchTimeout: testSearchTimeout, CacheBytes: 8 << 20, TrustProxy: tc.trust})
			for _, target := range []string{"/opensearch.xml", "/search.json?q=augment", "/videos.json"} {
				resp, body := app.getWith(t, target, tc.header)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("GET %s: %d", target, resp.StatusCode)
				}
				if !strings.Contains(body, tc.want) {
					t.Errorf("GET %s: no link on %s:\n%.300s", target, tc.want, body)
				}
				for _, bad := range []string{"javascript:", "evil.example"} {
					if strings.Contains(body, bad) {
						t.Errorf("GET %s: %q reached the body", target, bad)
					}
				}
			}
		})
	}
}

func TestServeLogsUnsetBaseURL(t *testing.T) {
	db := sampleDB(t)
	_, logs, stop := serveInBackground(t, []string{"-addr", "127.0.0.1:0", "-db", db}, noEnv)
	stop()
	if !strings.Contains(logs.String(), "-base-url is unset") {
		t.Errorf("no warning about -base-url:\n%s", logs)
	}
	_, logs, stop = serveInBackground(t, []string{"-addr", "127.0.0.1:0", "-db", db, "-base-url", "https://transcripts.example"}, noEnv)
	stop()
	if strings.Contains(logs.String(), "-base-url is unset") {
		t.Errorf("warned with -base-url set:\n%s", logs)
	}
}

// sampleDB builds a database of the shipped sample with the import
// command and returns its path.
func sampleDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "sample.db")
	if out, err := runCmd(t, "import", "-db", db, "../../data/sample.jsonl"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return db
}

// TestConditionalRequestsCheckTheURLFirst: a 304 only answers for a page
// that exists; an address that is a 404 or a 400 without validators is one
// with them (issue 16, item 9).
func TestConditionalRequestsCheckTheURLFirst(t *testing.T) {
	app := newTestApp(t)
	resp, _ := app.getWith(t, "/", nil)
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on /")
	}
	for _, inm := range []string{"*", etag} {
		for target, want := range map[string]int{
			"/videos/AAAAAAAAAAA":        http.StatusNotFound,
			"/videos/AAAAAAAAAAA.json":   http.StatusNotFound,
			"/?page=999":                 http.StatusNotFound,
			"/search?q=growth&page=0":    http.StatusBadRequest,
			"/search.json?q=a&sort=best": http.StatusBadRequest,
			"/videos/MpdbFLXOOIw":        http.StatusNotModified,
			"/search?q=augment":          http.StatusNotModified,
		} {
			for range 2 { // a second time, when the page cache may hold it
				resp, _ := app.getWith(t, target, map[string]string{"If-None-Match": inm})
				if resp.StatusCode != want {
					t.Errorf("If-None-Match %s, GET %s: %d, want %d", inm, target, resp.StatusCode, want)
				}
			}
		}
	}
}

// TestLogsSayWhatHappenedOnce: a reader who leaves is one info line with
// status 499, not an ERROR 500 and a render error; a 503 is one line with
// its status (issue 16, item 12).
func TestLogsSayWhatHappenedOnce(t *testing.T) {
	app := newTestAppWith(t, Config{SearchTimeout: testSearchTimeout})
	app.echo.GET("/slow", func(c echo.Context) error {
		return fmt.Errorf("slow thing: %w", context.DeadlineExceeded)
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, target := range []string{"/search?q=augment", "/videos/MpdbFLXOOIw", "/search.csv?q=augment", "/"} {
		app.logs.Reset()
		req := httptest.NewRequest(http.MethodGet, target, nil).WithContext(ctx)
		app.handler.ServeHTTP(httptest.NewRecorder(), req)
		lines := strings.Split(strings.TrimSpace(app.logs.String()), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], "level=INFO") || !strings.Contains(lines[0], "status=499") {
			t.Errorf("GET %s by a reader who left, logged:\n%s", target, app.logs)
		}
	}
	app.logs.Reset()
	resp, _ := app.getWith(t, "/slow", nil)
	lines := strings.Split(strings.TrimSpace(app.logs.String()), "\n")
	if resp.StatusCode != http.StatusServiceUnavailable || len(lines) != 1 || !strings.Contains(lines[0], "status=503") {
		t.Errorf("a 503 (%d) logged as:\n%s", resp.StatusCode, app.logs)
	}
}

// TestBusySearchesAnswer503: with every search slot taken and no queue, a
// search is told to come back (503, Retry-After) while cached pages,
// other pages and /healthz answer; a costly search waits for its own
// slots while ordinary ones run (issue 16, item 3).
func TestBusySearchesAnswer503(t *testing.T) {
	app := newTestAppWith(t, Config{SearchTimeout: testSearchTimeout, CacheBytes: 8 << 20,
		Limits: searchLimits{Searches: 2, Costly: 1, Queue: -1, Wait: time.Nanosecond}})
	lim := app.server.limiter
	app.page(t, "/search?q=learning", http.StatusOK) // now cached

	lim.costly <- struct{}{} // a costly search is running
	lim.costlyTickets <- struct{}{}
	lim.running <- struct{}{}
	app.page(t, "/search?q=augment", http.StatusOK)
	for _, target := range []string{"/search?q=aug*", "/search?q=augment+OR+mixup", `/search?q="decision+boundary"`, "/search.csv?q=augment",
		"/search?q=what+did+they+say+about+the+decision+boundary", "/search?q=augment&page=51"} {
		resp, _ := app.getWith(t, target, nil)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" {
			t.Errorf("costly %s beside a costly search: %d, Retry-After %q", target, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}

	lim.tickets <- struct{}{} // and an ordinary one: every slot is taken
	lim.running <- struct{}{}
	doc := app.page(t, "/search?q=network", http.StatusServiceUnavailable)
	if !strings.Contains(doc.Find("main").Text(), "busy") {
		t.Errorf("busy page says %q", doc.Find("main").Text())
	}
	resp, body := app.getWith(t, "/search.json?q=network", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" || !strings.Contains(body, `"status":503`) {
		t.Errorf("busy JSON: %d %q", resp.StatusCode, body)
	}
	for _, target := range []string{"/search?q=learning", "/healthz", "/videos/MpdbFLXOOIw", "/"} {
		if resp, _ := app.getWith(t, target, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s while searches are busy: %d", target, resp.StatusCode)
		}
	}
	<-lim.running
	<-lim.tickets
	app.page(t, "/search?q=network", http.StatusOK)
}

// TestVersionReadHoldsNoLock: while one request reads the catalog version,
// others answer with the version they had instead of queueing behind it.
func TestVersionReadHoldsNoLock(t *testing.T) {
	entered, proceed := make(chan struct{}), make(chan struct{})
	calls := 0
	vc := &versionCache{build: "b", read: func(context.Context) (catalog.Version, error) {
		calls++
		if calls > 1 {
			entered <- struct{}{}
			<-proceed
		}
		return catalog.Version{N: int64(calls)}, nil
	}}
	if st, err := vc.get(context.Background()); err != nil || st.N != 1 {
		t.Fatalf("first read: %+v %v", st, err)
	}
	done := make(chan stamp)
	go func() { st, _ := vc.get(context.Background()); done <- st }()
	<-entered // the second read is under way, and blocked
	if st, err := vc.get(context.Background()); err != nil || st.N != 1 {
		t.Errorf("during a read: %+v %v, want the version had", st, err)
	}
	close(proceed)
	if st := <-done; st.N != 2 {
		t.Errorf("the read returned %+v", st)
	}
}

// TestHugeSegmentIsSplit: an 880 KB row is stored as segments of at most
// catalog.MaxSegmentChars, so searching it is quick; one whose time span
// cannot hold the pieces is refused with FILE:LINE (issue 16, item 5).
func TestHugeSegmentIsSplit(t *testing.T) {
	huge := strings.TrimSpace(strings.Repeat("yak ", 220_000))
	app := newTestApp(t, row("hugesegment", 0, 1000, huge, "Yaks"))
	_, body := app.fetch(t, "/videos/hugesegment.json", http.StatusOK, "application/json")
	tr := decodeJSON[apiTranscript](t, []byte(body))
	total := 0
	for _, s := range tr.Segments {
		if n := len([]rune(s.Text)); n > catalog.MaxSegmentChars {
			t.Fatalf("a segment of %d characters", n)
		}
		total += strings.Count(s.Text, "yak")
	}
	if total != 220_000 || len(tr.Segments) < 220 {
		t.Errorf("%d segments holding %d yaks, want every one of 220,000", len(tr.Segments), total)
	}
	for i := 1; i < len(tr.Segments); i++ {
		if tr.Segments[i].StartSecond <= tr.Segments[i-1].StartSecond || tr.Segments[i].StartSecond > 1000 {
			t.Fatalf("segment %d starts at %d after %d", i, tr.Segments[i].StartSecond, tr.Segments[i-1].StartSecond)
		}
	}
	for _, target := range []string{"/search?q=yak", "/search.json?q=yak", "/videos/hugesegment?q=yak"} {
		if resp, _ := app.getWith(t, target, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", target, resp.StatusCode)
		}
	}

	tooShort := writeFile(t, "short.jsonl", row("hugesegment", 0, 10, huge, "Yaks")+"\n")
	out, err := runCmd(t, "import", "-db", filepath.Join(t.TempDir(), "x.db"), tooShort)
	if err == nil || !strings.Contains(err.Error(), tooShort+":1: text of 879999 characters") {
		t.Errorf("a row too long for its span: %v\n%s", err, out)
	}
}

// TestImportCommandLineEdges: -skip-invalid fails when nothing valid was
// found, and flags may follow file names (issue 16, item 13).
func TestImportCommandLineEdges(t *testing.T) {
	binary := filepath.Join(t.TempDir(), "photo.jsonl")
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(i*7919 + i/13)
	}
	if err := os.WriteFile(binary, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "skip.db")
	out, err := runCmd(t, "import", "-skip-invalid", "-db", db, binary)
	if err == nil || !strings.Contains(err.Error(), "no valid row") {
		t.Errorf("-skip-invalid on a binary file: %v\n%s", err, out)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("a database was left behind")
	}

	after := filepath.Join(t.TempDir(), "after.db")
	good := writeFile(t, "good.jsonl", goodRows)
	if out, err := runCmd(t, "import", good, "-db", after); err != nil {
		t.Fatalf("flags after the file: %v\n%s", err, out)
	}
	if got := catalogTotals(t, after); got != (catalog.Totals{Videos: 2, Segments: 3}) {
		t.Errorf("totals %+v", got)
	}
	if out, err := runCmd(t, "delete", "MpdbFLXOOIw", "-db", after); err != nil {
		t.Errorf("delete with the flag last: %v\n%s", err, out)
	}
}

// TestFullWidthTextIsFound: text is stored and queries read in NFKC
// (issue 16, item 13).
func TestFullWidthTextIsFound(t *testing.T) {
	app := newTestApp(t, row("fullwidth01", 0, 10, "ｇｒｏｗｔｈ of the ﬁrm", "Ｗｉｄｅ"))
	for _, q := range []string{"growth", "ｇｒｏｗｔｈ", "firm"} {
		if _, body := app.getWith(t, "/search.json?q="+url.QueryEscape(q), nil); !strings.Contains(body, "fullwidth01") {
			t.Errorf("q=%s: %.200s", q, body)
		}
	}
}

// TestTrailingSlashRedirects and the empty catalog's page (issue 16,
// item 13).
func TestTrailingSlashAndEmptyCatalog(t *testing.T) {
	app := newTestApp(t)
	resp, _ := app.getWith(t, "/videos/MpdbFLXOOIw/?t=898", nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/videos/MpdbFLXOOIw?t=898" {
		t.Errorf("/videos/ID/: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	db := filepath.Join(t.TempDir(), "empty.db")
	cat, err := catalog.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	cat.Close()
	empty := newServedApp(t, db)
	doc := empty.page(t, "/", http.StatusOK)
	text := doc.Find("main").Text()
	if !strings.Contains(text, "The catalog is empty") || !strings.Contains(text, "web import") || strings.Contains(text, "no videos on this page") {
		t.Errorf("the empty catalog says %q", text)
	}
}
