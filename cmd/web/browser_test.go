package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/chromedp"
)

// browser starts Debian's headless Chromium. Without it the test is
// skipped locally, but fails in CI, where .ci/run installs it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed, but CI must run the browser tests (.ci/run installs it)")
		}
		t.Skip("chromium not installed (apt-get install chromium): skipping browser test")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// TestBrowserSearchToMomentAndBack walks the main path a reader takes:
// search from the home page, open a result's line, check the moment's
// YouTube link, and come back to the same results.
func TestBrowserSearchToMomentAndBack(t *testing.T) {
	ctx := browser(t)
	app := newTestApp(t)
	ts := httptest.NewServer(app.handler)
	defer ts.Close()

	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(`header input[name="q"]`),
		chromedp.SendKeys(`header input[name="q"]`, "augment"),
		chromedp.Submit(`header input[name="q"]`),
		chromedp.WaitVisible(`ol.results li.hit`),
	)
	if err != nil {
		t.Fatal(err)
	}
	resultsURL := inBrowser(t, ctx, chromedp.Location())
	u, _ := url.Parse(resultsURL)
	if u.Path != "/search" || u.Query().Get("q") != "augment" {
		t.Fatalf("results at %s, want a bookmarkable /search?q=augment", resultsURL)
	}
	hitCount := eval[int](t, ctx, `document.querySelectorAll("ol.results li.hit").length`)
	if hitCount != 9 {
		t.Errorf("%d hits in the browser, want 9", hitCount)
	}
	firstLine := eval[string](t, ctx, `document.querySelector("ol.results li.hit h2 a").getAttribute("href")`)

	// Open the first result's line in our own video page.
	err = chromedp.Do(ctx,
		chromedp.Click(`ol.results li.hit h2 a`, chromedp.NodeVisible),
		chromedp.WaitVisible(`ol.transcript`),
	)
	if err != nil {
		t.Fatal(err)
	}
	inBrowser(t, ctx, chromedp.Poll[bool](`document.querySelector("li:target") !== null`, chromedp.WithPollingTimeout(10*time.Second)))
	videoURL := inBrowser(t, ctx, chromedp.Location())
	targetID := eval[string](t, ctx, `document.querySelector("li:target").id`)
	targetBg := eval[string](t, ctx, `getComputedStyle(document.querySelector("li:target")).backgroundColor`)
	otherBg := eval[string](t, ctx, `getComputedStyle(document.querySelector("ol.transcript li:not(:target)")).backgroundColor`)
	watchHref := eval[string](t, ctx, `document.querySelector("li:target a.ts").href`)
	inBrowser(t, ctx, chromedp.Poll[bool](`(() => { const r = document.querySelector("li:target").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))

	vu, _ := url.Parse(videoURL)
	if vu.RequestURI()+"#"+vu.Fragment != firstLine {
		t.Errorf("landed on %s, want %s", videoURL, firstLine)
	}
	if targetID != vu.Fragment || targetID == "" {
		t.Errorf("targeted line %q for fragment %q", targetID, vu.Fragment)
	}
	if targetBg == otherBg {
		t.Errorf("the targeted line is not highlighted (background %s like the others)", targetBg)
	}
	id := strings.TrimPrefix(vu.Path, "/videos/")
	if want := "https://www.youtube.com/watch?v=" + id + "&t=" + strings.TrimPrefix(targetID, "t") + "s"; watchHref != want {
		t.Errorf("timestamp links to %s, want %s", watchHref, want)
	}

	// Back (as the browser's button does it: the page may come from the
	// back/forward cache, without a load event) returns to the results.
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](`void setTimeout(() => history.back(), 0)`))
	waitFor(t, ctx, `location.pathname === "/search" && document.querySelector("ol.results li.hit") !== null`)
	backURL := inBrowser(t, ctx, chromedp.Location())
	backHits := eval[int](t, ctx, `document.querySelectorAll("ol.results li.hit").length`)
	if backURL != resultsURL || backHits != hitCount {
		t.Errorf("Back: %s with %d hits, want %s with %d", backURL, backHits, resultsURL, hitCount)
	}
}

// inBrowser runs one browser action and returns its value, failing the test on
// error.
func inBrowser[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return inBrowser(t, ctx, chromedp.Evaluate[T](expr))
}

// waitFor waits, for 10 s at most, until a predicate is true in the page,
// testing it in the browser on every frame. A navigation destroys the
// page's JavaScript context under a running wait: then it waits again in
// the new page. A predicate that throws (an element not there yet) counts
// as false. (chromedp.Poll waits the same way, but in the context it last
// saw created, and a page restored from the back/forward cache announces
// none: Poll would wait on the page that was left.)
func waitFor(t *testing.T, ctx context.Context, predicate string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	wait := `new Promise(resolve => {
		const test = () => { try { if (` + predicate + `) return resolve(true); } catch (e) {} requestAnimationFrame(test); };
		test();
	})`
	for {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](wait, chromedp.EvalAwaitPromise))
		var navigated *cdproto.Error
		switch {
		case err == nil:
			return
		case ctx.Err() != nil:
			t.Fatalf("waited 10 s for %s", predicate)
		case !errors.As(err, &navigated):
			t.Fatalf("waiting for %s: %v", predicate, err)
		}
	}
}

// TestBrowserThumbnailPlaceholder: a thumbnail that cannot load shows the
// placeholder box, not a broken-image icon, and the layout keeps its size.
func TestBrowserThumbnailPlaceholder(t *testing.T) {
	ctx := browser(t)
	// Port 1 on loopback refuses at once: a deterministic failed load.
	app := newTestApp(t, `{"video_id":"brokenthumb","text":"x","start_second":0,"end_second":5,"title":"Broken","thumbnail":"https://127.0.0.1:1/none.jpg"}`)
	ts := httptest.NewServer(app.handler)
	defer ts.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/videos/brokenthumb")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector(".video-head .thumb").classList.contains("thumb-missing")`)
	if v := eval[string](t, ctx, `getComputedStyle(document.querySelector(".video-head .thumb img")).visibility`); v != "hidden" {
		t.Errorf("broken image visibility %q, want hidden", v)
	}
	if h := eval[float64](t, ctx, `document.querySelector(".video-head .thumb").getBoundingClientRect().height`); h < 100 {
		t.Errorf("placeholder collapsed to %.0f px", h)
	}
}

// TestBrowserChannelToSpeakerInADateRange walks from the catalog to a
// channel, its newest episode, a speaker's turn, everything that speaker
// says, and that narrowed to a year: every step a URL that reloads to the
// same page, and Back returns to the one before.
func TestBrowserChannelToSpeakerInADateRange(t *testing.T) {
	ctx := browser(t)
	app := newTestApp(t,
		metaRow("structures1", 0, "Host", "welcome back today we talk about suspension bridges and their cables", "Bridges, part one", "Structures Weekly", "2021-03-14"),
		metaRow("dailystone1", 0, "Host", "stone arches carry their load in compression", "Stone", "Bridges Daily", "2022-01-10"),
		metaRow("dailystone1", 20, "Ada Lovelace", "the keystone locks an arch once the centering comes out", "Stone", "Bridges Daily", "2022-01-10"),
		metaRow("dailyiron01", 0, "Host", "iron changed how far a single span could reach", "Iron", "Bridges Daily", "2023-05-01"),
		metaRow("dailyiron01", 20, "Ada Lovelace", "the first iron bridge was cast in pieces like carpentry", "Iron", "Bridges Daily", "2023-05-01"),
	)
	ts := httptest.NewServer(app.handler)
	defer ts.Close()
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) string {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return inBrowser(t, ctx, chromedp.Location())
	}
	count := func(selector string) int {
		t.Helper()
		return eval[int](t, ctx, `document.querySelectorAll(`+strconvQuote(selector)+`).length`)
	}

	step("catalog", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(`ul.grid`))
	channel := step("channel", chromedp.Click(`.byline a[href="/channels/bridges-daily"]`, chromedp.NodeVisible), chromedp.WaitVisible(`ul.grid li.card`))
	if !strings.HasSuffix(channel, "/channels/bridges-daily") || count(`ul.grid li.card`) != 2 {
		t.Fatalf("channel page %s with %d videos", channel, count(`ul.grid li.card`))
	}
	if first := eval[string](t, ctx, `document.querySelector("ul.grid li.card a.title").textContent`); first != "Iron" {
		t.Errorf("the channel's first video is %q, want the newest, Iron", first)
	}
	episode := step("newest episode", chromedp.Click(`ul.grid li.card a.title`, chromedp.NodeVisible), chromedp.WaitVisible(`ol.transcript`))
	if !strings.HasSuffix(episode, "/videos/dailyiron01") {
		t.Fatalf("episode at %s", episode)
	}
	speaker := step("a speaker's turn", chromedp.Click(`ol.transcript p.speaker a[title="Everything Ada Lovelace says"]`, chromedp.NodeVisible),
		chromedp.WaitVisible(`ol.results li.hit`))
	if u, _ := url.Parse(speaker); u.Path != "/search" || u.Query().Get("speaker") != "Ada Lovelace" || count(`ol.results li.hit`) != 2 {
		t.Fatalf("the speaker's lines at %s: %d", speaker, count(`ol.results li.hit`))
	}
	year := step("a year of them", chromedp.Click(`//aside[@class="facets"]//h2[.="Years"]/following-sibling::ul[1]//a[contains(., "2023")]`, chromedp.NodeVisible),
		chromedp.WaitVisible(`ul.filters`))
	u, _ := url.Parse(year)
	if q := u.Query(); q.Get("speaker") != "Ada Lovelace" || q.Get("after") != "2023-01-01" || q.Get("before") != "2023-12-31" || count(`ol.results li.hit`) != 1 {
		t.Fatalf("narrowed to 2023 at %s: %d hits", year, count(`ol.results li.hit`))
	}
	shot := filepathJoin(t.TempDir(), "speaker-year.png")
	png := inBrowser(t, ctx, chromedp.FullScreenshot(80))
	if err := os.WriteFile(shot, png, 0o644); err != nil || len(png) == 0 {
		t.Errorf("screenshot: %v", err)
	}
	// Back returns to the speaker's every line.
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](`void setTimeout(() => history.back(), 0)`))
	waitFor(t, ctx, `location.href === `+strconvQuote(speaker)+` && document.querySelectorAll("ol.results li.hit").length > 0`)
	back := inBrowser(t, ctx, chromedp.Location())
	if back != speaker || count(`ol.results li.hit`) != 2 {
		t.Errorf("Back went to %s with %d hits, want %s with 2", back, count(`ol.results li.hit`), speaker)
	}
	// Bookmarkable: each URL alone gives the same page.
	for target, hits := range map[string]int{speaker: 2, year: 1} {
		u, _ := url.Parse(target)
		if n := app.page(t, u.RequestURI(), http.StatusOK).Find("ol.results li.hit").Length(); n != hits {
			t.Errorf("%s on its own: %d hits, want %d", u.RequestURI(), n, hits)
		}
	}
}

func strconvQuote(s string) string { return strconv.Quote(s) }

func filepathJoin(elem ...string) string { return filepath.Join(elem...) }
