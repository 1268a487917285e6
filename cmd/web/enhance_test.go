package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// fakePlayer stands in for YouTube's embed (there is no network in
// tests): it speaks the same postMessage protocol, starts at ?start= and
// seeks on "seekTo", but its clock is the test's. It reports its time only
// when the test plays it (advance), so what the page shows never depends
// on how fast the machine is.
const fakePlayer = `<!doctype html><title>fake player</title><body style="background:#222;color:#fff">fake player<script>
var t = Number(new URLSearchParams(location.search).get("start") || 0);
window.addEventListener("message", function (e) {
  var d = JSON.parse(e.data);
  if (d.event === "command" && d.func === "seekTo") t = d.args[0];
});
// currentTime is where the player is; advance plays s seconds and reports
// the time, as the real player does while playing.
window.currentTime = function () { return t; };
window.advance = function (s) {
  t += s;
  parent.postMessage(JSON.stringify({event: "infoDelivery", info: {currentTime: t}}), "*");
};
</script>`

// player is the fake player's window, from the page that embeds it (the
// same origin: the test server serves both).
const player = `document.querySelector("#player iframe").contentWindow`

// playerSite serves the app with the fake player on the same test server.
func playerSite(t *testing.T, extra ...string) (*httptest.Server, *testApp) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/fake-embed/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, fakePlayer)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	app := newTestAppWith(t, Config{SearchTimeout: testSearchTimeout, CacheBytes: 8 << 20, PlayerURL: ts.URL + "/fake-embed/"}, extra...)
	mux.Handle("/", app.handler)
	return ts, app
}

// TestPlayerDefault: without -player-url the player is YouTube's
// privacy-enhanced embed, and the only frame the policy allows.
func TestPlayerDefault(t *testing.T) {
	cfg, err := parseServeFlags(nil, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app := newTestAppWith(t, cfg)
	doc := app.page(t, "/videos/MpdbFLXOOIw", http.StatusOK)
	if got, _ := doc.Find("#player").Attr("data-player"); got != "https://www.youtube-nocookie.com/embed/" {
		t.Errorf("player %q", got)
	}
	if csp := app.get(t, "/videos/MpdbFLXOOIw").Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src https://www.youtube-nocookie.com;") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}

func TestBrowserPlayerBesideTranscript(t *testing.T) {
	ctx := browser(t)
	ts, _ := playerSite(t)
	// Scrolls are instant, as a reader who asks for less motion has them: a
	// smooth scroll lasts as long as the machine makes it, and a click
	// aimed during one lands on whatever has moved under the pointer.
	emulateMedia(t, ctx, &emulation.MediaFeature{Name: "prefers-reduced-motion", Value: "reduce"})
	// No frame before the reader asks for one.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/videos/MpdbFLXOOIw?t=14m58s")); err != nil {
		t.Fatal(err)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("iframe").length`); n != 0 {
		t.Fatalf("%d frames before Watch here", n)
	}
	if !eval[bool](t, ctx, `!document.querySelector(".watch-here").hidden`) {
		t.Fatal("no Watch here button")
	}
	// A moment URL opens scrolled to its line.
	waitFor(t, ctx, `(() => { const r = document.querySelector("li.moment-line").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`)
	// (Clicked from script: the sticky header may cover the button after
	// the scroll to the moment.)
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(".watch-here").click()`))
	waitFor(t, ctx, `document.querySelector("#player iframe") !== null`)
	src := eval[string](t, ctx, `document.querySelector("#player iframe").src`)
	if !strings.HasPrefix(src, ts.URL+"/fake-embed/MpdbFLXOOIw?") || !strings.Contains(src, "start=898") || !strings.Contains(src, "enablejsapi=1") {
		t.Errorf("player src %s", src)
	}
	waitFor(t, ctx, `typeof `+player+`.advance === "function"`)
	// Nothing is spoken until the player says where it is; then the line of
	// its start, the moment's, is.
	if n := eval[int](t, ctx, `document.querySelectorAll("li.speaking").length`); n != 0 {
		t.Errorf("%d lines speaking before the player reported a time", n)
	}
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](player+`.advance(0)`))
	waitFor(t, ctx, `document.querySelector("li.speaking")?.id === "t893"`)

	// A timestamp seeks the player instead of leaving the page.
	before := eval[string](t, ctx, `location.href`)
	if err := chromedp.Do(ctx, chromedp.Click(`li#t1228 a.ts`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector("li.speaking")?.id === "t1228"`)
	waitFor(t, ctx, player+`.currentTime() === 1228`)
	if after := eval[string](t, ctx, `location.href`); after != before {
		t.Errorf("clicking a timestamp left the page for %s", after)
	}
	// Playing on highlights the line being spoken, and while following
	// keeps it in view: 1728 s is in the line at 1712, out of sight now.
	if eval[bool](t, ctx, `document.querySelector("li#t1712").getBoundingClientRect().top < innerHeight`) {
		t.Fatal("the line at 1712 s is already in view: the test shows no following")
	}
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](player+`.advance(500)`))
	waitFor(t, ctx, `document.querySelector("li.speaking")?.id === "t1712"`)
	waitFor(t, ctx, `(() => { const r = document.querySelector("li.speaking").getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })()`)
	// Scrolling by hand stops following.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new WheelEvent("wheel", {deltaY: 100}))`)); err != nil {
		t.Fatal(err)
	}
	if eval[bool](t, ctx, `document.querySelector("#player .follow input").checked`) {
		t.Error("scrolling by hand did not stop following")
	}
}

func TestBrowserCopyMomentLink(t *testing.T) {
	ctx := browser(t)
	ts, _ := playerSite(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/videos/MpdbFLXOOIw")); err != nil {
		t.Fatal(err)
	}
	// The clipboard needs a permission a headless browser does not give:
	// record what the page asks it to copy.
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](`navigator.clipboard.writeText = (s) => { window.copied = s; return Promise.resolve(); }`))
	if err := chromedp.Do(ctx, chromedp.Click(`li#t865 a.copy`, chromedp.NodeVisible)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.querySelector("li#t865 a.copy").textContent === "copied"`)
	if got := eval[string](t, ctx, `window.copied`); got != ts.URL+"/videos/MpdbFLXOOIw?t=865#t865" {
		t.Errorf("copied %q", got)
	}
	if href := eval[string](t, ctx, `location.href`); strings.Contains(href, "?t=") {
		t.Errorf("copying navigated to %s", href)
	}
}

func TestBrowserKeyboard(t *testing.T) {
	ctx := browser(t)
	ts, _ := playerSite(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/search?q=augment&group=none")); err != nil {
		t.Fatal(err)
	}
	press := func(key string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
			t.Fatal(err)
		}
	}
	active := func() string {
		return eval[string](t, ctx, `(document.activeElement.getAttribute("name") || "") + "|" + (document.activeElement.getAttribute("href") || "")`)
	}
	hits := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("li.hit h2 a")).map(a => a.getAttribute("href"))`)
	press("j")
	if got := active(); got != "|"+hits[0] {
		t.Fatalf("j focused %q, want the first hit %s", got, hits[0])
	}
	press("j")
	press("j")
	press("k")
	if got := active(); got != "|"+hits[1] {
		t.Errorf("j j k focused %q, want the second hit", got)
	}
	press("/")
	if got := active(); got != "q|" {
		t.Fatalf("/ focused %q, want the search box", got)
	}
	// Typing in the box is typing, not shortcuts.
	press("j")
	if got := eval[string](t, ctx, `document.activeElement.value`); !strings.HasSuffix(got, "j") {
		t.Errorf("typing j in the box gave %q", got)
	}
	press("\x1b") // Esc
	if got := active(); got == "q|" {
		t.Error("Esc did not leave the box")
	}
	// Enter opens the focused hit.
	press("j")
	press("\r")
	waitFor(t, ctx, `location.pathname.startsWith("/videos/")`)
	// The shortcuts are documented.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/help/search")); err != nil {
		t.Fatal(err)
	}
	if text := eval[string](t, ctx, `document.querySelector("main").textContent`); !strings.Contains(text, "Keyboard") {
		t.Error("the help page does not list the shortcuts")
	}
}

// setColorScheme emulates prefers-color-scheme.
func setColorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	emulateMedia(t, ctx, &emulation.MediaFeature{Name: "prefers-color-scheme", Value: scheme})
}

// emulateMedia emulates media features (those of an earlier call are
// forgotten).
func emulateMedia(t *testing.T, ctx context.Context, features ...*emulation.MediaFeature) {
	t.Helper()
	inBrowser(t, ctx, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
		return err
	}))
}

// pagesToCheck are the pages the browser tests look at in every theme and
// width: home, video (searched, a quoted passage, with repeated lines),
// results (each view, with a folded sponsor read), no results, help, error.
var pagesToCheck = []string{"/", "/videos/MpdbFLXOOIw?q=augment", "/videos/MpdbFLXOOIw?t=893-946", "/videos/episode0002",
	"/search?q=augment", "/search?q=the&group=video", "/search?q=mattress&group=none", "/search?q=xylophone", "/search", "/help/search", "/videos/nopenopenop"}

func TestBrowserThemesAndPhones(t *testing.T) {
	ctx := browser(t)
	ts, _ := playerSite(t, sponsoredEpisodes()...)
	for _, scheme := range []string{"light", "dark"} {
		setColorScheme(t, ctx, scheme)
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
			t.Fatal(err)
		}
		bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`)
		if (scheme == "dark") != (bg != "rgb(255, 255, 255)") {
			t.Errorf("%s theme: background %s", scheme, bg)
		}
	}
	setColorScheme(t, ctx, "light")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	for _, p := range pagesToCheck {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+p)); err != nil {
			t.Fatal(err)
		}
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("%s is %d px wide on a 360 px screen", p, w)
		}
	}
}

// TestBrowserAccessibility runs axe-core (from npm, installed by .ci/run)
// on each page in both themes: no serious or critical violation.
func TestBrowserAccessibility(t *testing.T) {
	ctx := browser(t)
	axe, err := os.ReadFile("../../node_modules/axe-core/axe.min.js")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("axe-core is not installed, but CI must run it (.ci/run runs npm ci)")
		}
		t.Skip("axe-core not installed (npm ci): skipping the accessibility audit")
	}
	ts, _ := playerSite(t, sponsoredEpisodes()...)
	for _, scheme := range []string{"light", "dark"} {
		// Without smooth scrolling, so the audit never sees a page half-way
		// to its anchor, a target under the sticky header.
		emulateMedia(t, ctx, &emulation.MediaFeature{Name: "prefers-color-scheme", Value: scheme},
			&emulation.MediaFeature{Name: "prefers-reduced-motion", Value: "reduce"})
		for _, p := range pagesToCheck {
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+p)); err != nil {
				t.Fatal(err)
			}
			inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](string(axe)))
			found := inBrowser(t, ctx, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]})
				.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
				.map(v => v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")))`,
				chromedp.EvalAwaitPromise))
			for _, v := range found {
				t.Errorf("%s (%s theme): %s", p, scheme, v)
			}
		}
	}
}
