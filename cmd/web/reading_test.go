package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"

	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/views"
)

// sponsoredEpisodes are five episodes that open with the same two-line
// sponsor read, then talk.
func sponsoredEpisodes() []string {
	read := []string{
		"this episode is brought to you by dreamfoam the mattress company that ships a mattress to your door in a box",
		"and gives you one hundred nights to try it go to dreamfoam dot com slash show and use the code at checkout for a discount",
	}
	talk := []string{"sleep schedules and how a guest changed careers", "night shifts in a hospital and what coffee does",
		"the history of the alarm clock", "dreams and whether anyone remembers them", "naps at work and why managers dislike them"}
	var rows []string
	for i := range 5 {
		id := fmt.Sprintf("episode%04d", i)
		title := fmt.Sprintf("Episode %d", i)
		rows = append(rows,
			row(id, 0, 30, read[0], title),
			row(id, 30, 60, read[1], title),
			row(id, 60, 90, "today "+talk[i], title),
			row(id, 90, 120, fmt.Sprintf("that was %d minutes of %s", 10+i, talk[(i+1)%5]), title))
	}
	return rows
}

// TestRepeatedLinesAreMarked: a transcript's repeated lines are dimmed,
// labelled once per block with how many videos say them and a link past
// the block, explained by a key, never hidden; JSON flags them.
func TestRepeatedLinesAreMarked(t *testing.T) {
	app := newTestApp(t, sponsoredEpisodes()...)
	doc := app.page(t, "/videos/episode0002", http.StatusOK)
	lines := doc.Find("ol.transcript > li")
	if lines.Length() != 4 {
		t.Fatalf("%d lines, want all 4: repeated lines are never hidden", lines.Length())
	}
	for i, want := range []bool{true, true, false, false} {
		if got := lines.Eq(i).HasClass("repeat"); got != want {
			t.Errorf("line %d repeat %v, want %v", i, got, want)
		}
	}
	label := lines.Eq(0).Find(".repeat-label")
	if got := strings.Join(strings.Fields(label.Text()), " "); got != "repeated in 5 videos · skip 2 repeated lines ↓" {
		t.Errorf("label %q", got)
	}
	if href := label.Find("a").AttrOr("href", ""); href != "#t60" {
		t.Errorf("skip link %q, want the first line after the block, #t60", href)
	}
	if n := doc.Find(".repeat-label").Length(); n != 1 {
		t.Errorf("%d labels, want one per block", n)
	}
	if key := doc.Find(".repeat-key").Text(); !strings.Contains(key, "repeated text") {
		t.Errorf("key %q", key)
	}
	// A video without repeated text has neither marks nor key.
	plain := app.page(t, "/videos/MpdbFLXOOIw", http.StatusOK)
	if plain.Find(".repeat, .repeat-key").Length() != 0 {
		t.Error("marks on a video without repeated text")
	}

	_, body := app.fetch(t, "/videos/episode0002.json", http.StatusOK, "application/json")
	res := decodeJSON[apiTranscript](t, body)
	for i, want := range []int{5, 5, 0, 0} {
		if s := res.Segments[i]; s.Repeated != (want > 0) || s.RepeatVideos != want {
			t.Errorf("JSON segment %d: repeated %v in %d videos, want %d", i, s.Repeated, s.RepeatVideos, want)
		}
	}
	if !strings.Contains(string(body), `"repeated":false,"repeat_videos":0`) {
		t.Error("JSON leaves out the flags of a line that is not repeated")
	}
}

func TestAround(t *testing.T) {
	fs := []search.Fragment{{Text: "one two three four five six seven "}, {Text: "eight", Match: true}, {Text: " nine ten eleven twelve"}}
	got := around(fs, 6)
	want := []views.Fragment{{Text: "…four five six seven "}, {Text: "eight", Match: true}, {Text: " nine…"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("around = %+v, want %+v", got, want)
	}
	if got := around(fs, 100); len(got) != 3 || got[0].Text != "one two three four five six seven " {
		t.Errorf("a short line is kept whole: %+v", got)
	}
	if got := around(nil, 5); got != nil {
		t.Errorf("around(nil) = %+v", got)
	}
}

// TestBrowserStepThroughMatches: opened at a match from a result, n and p
// (j and k too) step to the next and previous matches, marking the line.
func TestBrowserStepThroughMatches(t *testing.T) {
	ctx := browser(t)
	ts, _ := playerSite(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/videos/MpdbFLXOOIw?q=augment#t893")); err != nil {
		t.Fatal(err)
	}
	matches := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("ol.transcript li.match")).map(li => li.id)`)
	at := slices.Index(matches, "t893")
	if at < 1 || at+1 >= len(matches) {
		t.Fatalf("matches %v: t893 should be inside", matches)
	}
	current := func() string {
		return eval[string](t, ctx, `[...document.querySelectorAll("li.current")].map(li => li.id).join(",")`)
	}
	for _, step := range []struct{ key, want string }{{"n", matches[at+1]}, {"p", matches[at]}, {"k", matches[at-1]}, {"j", matches[at]}} {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(step.key)); err != nil {
			t.Fatal(err)
		}
		if got := current(); got != step.want {
			t.Errorf("%s: current line %q, want %q", step.key, got, step.want)
		}
	}
}

// TestBrowserMarkedLinesContrast: the linked moment is marked by more
// than colour (a bar) and its text keeps AA contrast on its background,
// in both themes.
func TestBrowserMarkedLinesContrast(t *testing.T) {
	ctx := browser(t)
	ts, _ := playerSite(t)
	for _, scheme := range []string{"light", "dark"} {
		setColorScheme(t, ctx, scheme)
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/videos/MpdbFLXOOIw?t=898")); err != nil {
			t.Fatal(err)
		}
		got := eval[map[string]any](t, ctx, `(() => {
			const rgb = s => s.match(/[\d.]+/g).slice(0, 3).map(Number);
			const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
			const li = document.querySelector("li.moment-line"), st = getComputedStyle(li);
			const a = lum(rgb(st.color)), b = lum(rgb(st.backgroundColor));
			return {contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), bar: st.boxShadow, bg: st.backgroundColor, page: getComputedStyle(document.body).backgroundColor};
		})()`)
		if c := got["contrast"].(float64); c < 4.5 {
			t.Errorf("%s: the moment's text has contrast %.2f on its mark", scheme, c)
		}
		if got["bg"] == got["page"] || !strings.Contains(got["bar"].(string), "inset") {
			t.Errorf("%s: the moment is not marked: %v", scheme, got)
		}
	}
}

// podcastRows are n long-titled episodes of four long lines each, every
// line mentioning word: a page of results like a real collection's.
func podcastRows(n int, word string) []string {
	var rows []string
	for i := range n {
		id := fmt.Sprintf("podcast%04d", i)
		title := fmt.Sprintf("The Long Conversation #%d: a guest with a rather long name on the %s and other things", 100+i, word)
		for j := range 4 {
			// Words that differ from episode to episode, so no line is
			// repeated text.
			var b strings.Builder
			for k := range 45 {
				fmt.Fprintf(&b, "w%dx%dx%d ", i, j, k)
				if k == 8 {
					b.WriteString(word + " ")
				}
			}
			rows = append(rows, row(id, j*30, j*30+30, strings.TrimSpace(b.String()), title))
		}
	}
	return rows
}

// TestBrowserPhoneLayouts: at 390 px the catalog shows at least three
// videos a screen, a grouped page of ten videos is at most about three
// screens, and snippets and transcript lines take the full width with
// their timestamps inline.
func TestBrowserPhoneLayouts(t *testing.T) {
	ctx := browser(t)
	app := newTestApp(t, podcastRows(12, "harbour")...)
	ts := httptest.NewServer(app.handler)
	defer ts.Close()
	const width, height = 390, 844
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	visit := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+path)); err != nil {
			t.Fatal(err)
		}
	}
	visit("/")
	if h := eval[float64](t, ctx, `document.querySelector("ul.grid li.card").getBoundingClientRect().height`); h > height/3-20 {
		t.Errorf("a catalog card is %.0f px tall: fewer than three videos a screen", h)
	}
	visit("/search?q=harbour&group=video")
	if n := eval[int](t, ctx, `document.querySelectorAll("ol.groups > li.group").length`); n != 10 {
		t.Fatalf("%d groups, want a page of 10", n)
	}
	if h := eval[float64](t, ctx, `document.querySelector("ol.groups").getBoundingClientRect().height`); h > 3*height {
		t.Errorf("ten grouped videos take %.0f px, more than three screens: %s", h, eval[string](t, ctx, `[...document.querySelectorAll("ol.groups > li.group:first-child, ol.groups > li.group:first-child *")].map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().height)).join(", ")`))
	}
	wide := func(sel string) {
		t.Helper()
		if w := eval[float64](t, ctx, `document.querySelector("`+sel+`").getBoundingClientRect().width`); w < 0.8*width {
			t.Errorf("%s is %.0f px wide on a %d px screen", sel, w, width)
		}
	}
	wide(".group-hits li")
	visit("/search?q=harbour&group=none")
	wide("li.hit .snippet")
	visit("/videos/podcast0003?q=harbour")
	wide("ol.transcript li > p:last-of-type")
	if !eval[bool](t, ctx, `(() => { const li = document.querySelector("ol.transcript li"); return li.querySelector("a.ts").getBoundingClientRect().bottom <= li.querySelector("p:last-of-type").getBoundingClientRect().top + 1; })()`) {
		t.Error("a transcript line's timestamp is not on a row above its words")
	}
	if top := eval[float64](t, ctx, `document.querySelector("#matches").getBoundingClientRect().top`); top > height {
		t.Errorf("the list of matches starts %.0f px down, below the first screen", top)
	}
}

// interview is a short conversation between two named speakers.
func interview() []string {
	lines := []struct {
		speaker, text string
	}{
		{"Ada Lovelace", "welcome back to the show, today we talk about engines"},
		{"Ada Lovelace", "and about the notes I wrote on them"},
		{"Charles Babbage", "the analytical engine was never finished, you know"},
		{"Charles Babbage", "the money ran out long before the gears did"},
		{"Ada Lovelace", "yet the idea outlived the brass"},
		{"Ada Lovelace", "thank you for listening"},
	}
	var rows []string
	for i, l := range lines {
		rows = append(rows, fmt.Sprintf(`{"video_id":"interview01","text":%q,"start_second":%d,"end_second":%d,"title":"Engines","speaker":%q}`, l.text, i*10, i*10+10, l.speaker))
	}
	return rows
}

// TestQuoteAPassage: ?t=FROM-TO points out a passage, quotes it with who
// said what (in the page, as text to copy, in the link preview), and a
// moment's page offers "quote to here" on the lines after it.
func TestQuoteAPassage(t *testing.T) {
	app := newTestApp(t, interview()...)
	doc := app.page(t, "/videos/interview01?t=10-30", http.StatusOK)
	marked := hrefs(doc.Find("ol.transcript li.moment-line a.copy"))
	if len(marked) != 3 || !strings.Contains(marked[0], "t=10#") || !strings.Contains(marked[2], "t=30#") {
		t.Errorf("marked lines %v, want those at 10, 20 and 30 s", marked)
	}
	var said []string
	doc.Find("aside.quote blockquote p").Each(func(_ int, p *goquery.Selection) { said = append(said, strings.Join(strings.Fields(p.Text()), " ")) })
	want := []string{"Ada Lovelace: and about the notes I wrote on them", "Charles Babbage: the analytical engine was never finished, you know", "the money ran out long before the gears did"}
	if strings.Join(said, "|") != strings.Join(want, "|") {
		t.Errorf("quoted %q, want %q", said, want)
	}
	text := doc.Find("aside.quote textarea").Text()
	wantText := "> Ada Lovelace: and about the notes I wrote on them\n>\n> Charles Babbage: the analytical engine was never finished, you know the money ran out long before the gears did\n\n" +
		"— “Engines”, 0:10–0:40\nhttp://example.com/videos/interview01?t=10-30\n"
	if text != wantText {
		t.Errorf("quote as text:\n%s\nwant:\n%s", text, wantText)
	}
	meta := func(name string) string { return doc.Find(`meta[property="`+name+`"]`).AttrOr("content", "") }
	if d := meta("og:description"); d != "Ada Lovelace: and about the notes I wrote on them Charles Babbage: the analytical engine was never finished, you know the money ran out long before the gears did" {
		t.Errorf("preview quotes %q", d)
	}
	if d := doc.Find(`meta[name="twitter:description"]`).AttrOr("content", ""); d != meta("og:description") {
		t.Errorf("twitter:description %q", d)
	}
	if u := meta("og:url"); u != "http://example.com/videos/interview01?t=10-30" {
		t.Errorf("og:url %q", u)
	}

	// From a moment, "quote to here" on each later line makes a range.
	moment := app.page(t, "/videos/interview01?t=20", http.StatusOK)
	quotes := hrefs(moment.Find("a.quote-to"))
	if len(quotes) != 3 || quotes[0] != "/videos/interview01?t=20-30#t20" || quotes[2] != "/videos/interview01?t=20-50#t20" {
		t.Errorf("quote-to links %v", quotes)
	}
	if app.page(t, "/videos/interview01", http.StatusOK).Find("a.quote-to").Length() != 0 {
		t.Error("quote-to links without a moment to quote from")
	}
	for _, bad := range []string{"30-10", "10-", "-10", "10-soon"} {
		app.page(t, "/videos/interview01?t="+bad, http.StatusBadRequest)
	}
}

// TestBrowserQuoteByShiftClick: shift-clicking a later line's link opens
// the passage from the linked moment; Copy quote copies its text.
func TestBrowserQuoteByShiftClick(t *testing.T) {
	ctx := browser(t)
	app := newTestApp(t, interview()...)
	ts := httptest.NewServer(app.handler)
	defer ts.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/videos/interview01?t=10")); err != nil {
		t.Fatal(err)
	}
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("li#t30 a.copy").dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, shiftKey: true}))`))
	waitFor(t, ctx, `location.search === "?t=10-30" && document.querySelector("aside.quote") !== null`)
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](`navigator.clipboard.writeText = (s) => { window.copied = s; return Promise.resolve(); }`))
	inBrowser(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("button.copy-quote").click()`))
	waitFor(t, ctx, `typeof window.copied === "string"`)
	if got := eval[string](t, ctx, `window.copied`); !strings.HasPrefix(got, "> Ada Lovelace: and about") || !strings.Contains(got, ts.URL+"/videos/interview01?t=10-30") {
		t.Errorf("copied %q", got)
	}
}

// TestTipsComeFromTheCollection: the no-results page, the search page
// and the search help suggest words and a prefix of this collection, and
// every suggestion finds something.
func TestTipsComeFromTheCollection(t *testing.T) {
	app := newTestApp(t, podcastRows(3, "harbour")...)
	for _, page := range []string{"/search?q=xylophone", "/search", "/help/search"} {
		doc := app.page(t, page, http.StatusOK)
		links := hrefs(doc.Find(".often a, ul.tips a, .notice a[href^='/search?q=']"))
		if len(links) < 3 {
			t.Errorf("%s: %d suggestions %v", page, len(links), links)
		}
		for _, l := range links {
			res := app.page(t, l, http.StatusOK)
			if res.Find("li.hit, li.group").Length() == 0 {
				t.Errorf("%s suggests %s, which finds nothing", page, l)
			}
		}
		if page != "/help/search" && !slices.ContainsFunc(links, func(l string) bool { return strings.Contains(l, "%2A") }) {
			t.Errorf("%s: no prefix among %v", page, links)
		}
	}
}
