package main

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
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
