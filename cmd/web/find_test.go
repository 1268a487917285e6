package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/transcripts/site/internal/search"
)

func hrefs(sel *goquery.Selection) []string {
	return sel.Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("href", "") })
}

func TestSearchParameters(t *testing.T) {
	app := newTestApp(t)
	for target, status := range map[string]int{
		"/search?q=the&sort=time":                                  http.StatusOK,
		"/search?q=the&sort=relevance&group=none":                  http.StatusOK,
		"/search?q=the&group=video&page=1":                         http.StatusOK,
		"/search?q=the&video=MpdbFLXOOIw&video=1L83tM8nwHU":        http.StatusOK,
		"/search?q=the&video=MpdbFLXOOIw&video=MpdbFLXOOIw":        http.StatusOK,
		"/search?q=the&sort=time&group=none&video=MpdbFLXOOIw":     http.StatusOK,
		"/search?q=the&sort=newest":                                http.StatusOK,
		"/search?q=the&sort=oldest&after=2020&before=2021-06":      http.StatusOK,
		"/search?q=the&sort=loudest":                               http.StatusBadRequest,
		"/search?q=the&after=2020-13":                              http.StatusBadRequest,
		"/search?q=the&before=yesterday":                           http.StatusBadRequest,
		"/search?q=the&sort=":                                      http.StatusOK,
		"/search?q=the&group=channel":                              http.StatusBadRequest,
		"/search?q=the&video=short":                                http.StatusBadRequest,
		"/search?q=the&video=%3Cscript%3E":                         http.StatusBadRequest,
		"/search?q=the&page=50":                                    http.StatusOK,
		"/search?q=the&page=10001":                                 http.StatusBadRequest,
		"/search?q=the&" + strings.Repeat("video=aaaaaaaaaaa&", 1): http.StatusOK,
	} {
		app.page(t, target, status)
	}
	var many []string
	for i := range 21 {
		many = append(many, "video=aaaaaaaa"+string(rune('a'+i/10))+string(rune('a'+i%10)))
	}
	app.page(t, "/search?q=the&"+strings.Join(many, "&"), http.StatusBadRequest)
}

func TestCanonicalAndPagerLinks(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/search?page=2&group=none&q=the&sort=relevance", http.StatusOK)
	if canon := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); canon != "http://example.com/search?group=none&page=2&q=the" {
		t.Errorf("canonical %q", canon)
	}
	if prev := doc.Find(`head link[rel="prev"]`).AttrOr("href", ""); prev != "/search?group=none&q=the" {
		t.Errorf("head prev %q", prev)
	}
	if next := doc.Find(`head link[rel="next"]`).AttrOr("href", ""); next != "/search?group=none&page=3&q=the" {
		t.Errorf("head next %q", next)
	}
	// The order links keep everything but the page.
	for _, href := range hrefs(doc.Find(".views a")) {
		u, _ := url.Parse(href)
		if u.Query().Get("q") != "the" || u.Query().Has("page") {
			t.Errorf("view link %q", href)
		}
	}
	if got := hrefs(doc.Find(".views a")); len(got) != 2 || got[0] != "/search?group=none&q=the&sort=time" || got[1] != "/search?group=video&q=the" {
		t.Errorf("view links %v", got)
	}
}

func TestGroupedResults(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/search?q=the", http.StatusOK)
	groups := doc.Find("ol.groups > li.group")
	if groups.Length() != 4 || doc.Find("li.hit").Length() != 0 {
		t.Fatalf("%d groups, %d hits", groups.Length(), doc.Find("li.hit").Length())
	}
	if got := doc.Find("p.lede").Text(); got != "95 moments in 4 videos" {
		t.Errorf("summary %q", got)
	}
	groups.Each(func(i int, g *goquery.Selection) {
		title := g.Find("h2 a")
		if title.Text() == "" || !strings.HasPrefix(title.AttrOr("href", ""), "/videos/") {
			t.Errorf("group %d title %q", i, title.Text())
		}
		lines := g.Find(".group-hits li")
		if lines.Length() == 0 || lines.Length() > 3 || lines.Find("mark").Length() == 0 {
			t.Errorf("group %d shows %d hits", i, lines.Length())
		}
		all := g.Find("a").Last()
		u, _ := url.Parse(all.AttrOr("href", ""))
		if all.AttrOr("href", "") != title.AttrOr("href", "") || u.Query().Get("q") != "the" || !strings.HasPrefix(all.Text(), "all ") {
			t.Errorf("group %d all-moments link %q %q", i, all.AttrOr("href", ""), all.Text())
		}
		// The video page, searched, counts the same moments.
		n := strings.Fields(all.Text())[1]
		inVideo := app.page(t, all.AttrOr("href", ""), http.StatusOK)
		if got := inVideo.Find(".video-search strong").Text(); !strings.HasPrefix(got, n+" moments") {
			t.Errorf("group %d says %s moments, the video page %q", i, n, got)
		}
	})
}

func TestFacetLinks(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/search?q=the&group=none", http.StatusOK)
	facets := doc.Find("aside.facets li")
	if facets.Length() != 4 {
		t.Fatalf("%d facets", facets.Length())
	}
	first := facets.First().Find("a")
	u, _ := url.Parse(first.AttrOr("href", ""))
	id := u.Query().Get("video")
	if u.Query().Get("q") != "the" || u.Query().Get("group") != "none" || id == "" {
		t.Fatalf("facet link %q", first.AttrOr("href", ""))
	}
	want := facets.First().Find(".count").Text()
	filtered := app.page(t, first.AttrOr("href", ""), http.StatusOK)
	if got := filtered.Find("p.lede").Text(); !strings.HasPrefix(got, want+" moments in 1 video") {
		t.Errorf("filtered summary %q, facet said %s", got, want)
	}
	filtered.Find("li.hit h2 a").Each(func(_ int, a *goquery.Selection) {
		if !strings.HasPrefix(a.AttrOr("href", ""), "/videos/"+id+"?q=the#") {
			t.Errorf("filtered hit %q", a.AttrOr("href", ""))
		}
	})
	active := filtered.Find("aside.facets li.active a")
	if active.Length() != 1 {
		t.Fatalf("%d active facets", active.Length())
	}
	if u, _ := url.Parse(active.AttrOr("href", "")); u.Query().Has("video") {
		t.Errorf("the active facet does not lift the filter: %q", active.AttrOr("href", ""))
	}
}

func TestInVideoSearchPage(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/videos/MpdbFLXOOIw?q=augment", http.StatusOK)
	if got := doc.Find(".video-search strong").Text(); got != "8 moments for “augment”" {
		t.Errorf("summary %q", got)
	}
	if v := doc.Find("form.in-video input[name=q]").AttrOr("value", ""); v != "augment" {
		t.Errorf("in-video box holds %q", v)
	}
	matches := doc.Find("ol.transcript li.match")
	if matches.Length() != 8 || doc.Find("ol.transcript li").Length() != 34 {
		t.Fatalf("%d matching lines", matches.Length())
	}
	ids := map[string]bool{}
	matches.Each(func(_ int, li *goquery.Selection) { ids[li.AttrOr("id", "")] = true })
	matches.Each(func(i int, li *goquery.Selection) {
		if li.Find("p mark").Length() == 0 {
			t.Errorf("match %d not highlighted", i)
		}
		for _, rel := range []string{"prev", "next"} {
			a := li.Find(`.match-nav a[rel="` + rel + `"]`)
			edge := (rel == "prev" && i == 0) || (rel == "next" && i == 7)
			if edge != (a.Length() == 0) {
				t.Errorf("match %d: %s link present %v", i, rel, a.Length() == 1)
			}
			if a.Length() == 1 && !ids[strings.TrimPrefix(a.AttrOr("href", ""), "#")] {
				t.Errorf("match %d: %s link to %q, not a match", i, rel, a.AttrOr("href", ""))
			}
		}
	})
	for _, sel := range []string{"svg.timeline a", "ol.moments a"} {
		links := hrefs(doc.Find(sel))
		if len(links) != 8 {
			t.Errorf("%s: %d links", sel, len(links))
		}
		for _, h := range links {
			if !ids[strings.TrimPrefix(h, "#")] {
				t.Errorf("%s links %q, not a match", sel, h)
			}
		}
	}
	// The list leads: each match with its time and a few words around it,
	// before the transcript; the form lands on it.
	doc.Find("ol.moments li").Each(func(i int, li *goquery.Selection) {
		words := len(strings.Fields(li.Find(".moment-snippet").Text()))
		if li.Find("time").Length() != 1 || li.Find(".moment-snippet mark").Length() == 0 || words > 16 {
			t.Errorf("listed match %d: %q", i, li.Text())
		}
	})
	if got := doc.Find("form.in-video").AttrOr("action", ""); got != "/videos/MpdbFLXOOIw#matches" || doc.Find("#matches").Length() != 1 {
		t.Errorf("in-video form goes to %q", got)
	}
	// Lines keep their own timestamps and links.
	if doc.Find("ol.transcript li:not(.match) mark").Length() != 0 {
		t.Error("a line that does not match is highlighted")
	}

	bad := app.page(t, "/videos/MpdbFLXOOIw?q=-the", http.StatusOK)
	if got := bad.Find(".video-search strong").Text(); !strings.Contains(got, "cannot only exclude") || bad.Find("li.match").Length() != 0 {
		t.Errorf("bad in-video query: %q", got)
	}
	none := app.page(t, "/videos/MpdbFLXOOIw?q=xylophone", http.StatusOK)
	if got := none.Find(".video-search strong").Text(); got != "Nothing in this transcript matches “xylophone”" {
		t.Errorf("no match: %q", got)
	}
	app.page(t, "/videos/MpdbFLXOOIw?q="+url.QueryEscape(strings.Repeat("augment ", 300)), http.StatusOK)
}

// TestMisspeltSearchIsCorrected: a misspelt query is searched corrected
// at once, the page says so with a link to each spelling, the URL stays
// what was typed, and JSON carries the corrected query.
func TestMisspeltSearchIsCorrected(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/search?q=contrastiv+lerning", http.StatusOK)
	links := doc.Find(".suggestion a")
	if links.Length() != 2 {
		t.Fatalf("%d links in %q", links.Length(), doc.Find(".suggestion").Text())
	}
	if a := links.Eq(0); a.Text() != "contrastive learning" || a.AttrOr("href", "") != "/search?q=contrastive+learning" {
		t.Errorf("corrected %q → %q", a.Text(), a.AttrOr("href", ""))
	}
	if a := links.Eq(1); a.Text() != "contrastiv lerning" || a.AttrOr("href", "") != "/search?q=contrastiv+lerning&verbatim=1" {
		t.Errorf("typed %q → %q", a.Text(), a.AttrOr("href", ""))
	}
	if doc.Find("li.hit").Length()+doc.Find("li.group").Length() == 0 {
		t.Error("the corrected search shows nothing")
	}
	if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != "http://example.com/search?q=contrastiv+lerning" {
		t.Errorf("canonical %q: the URL is what was typed", got)
	}
	exact := app.page(t, "/search?q=contrastiv+lerning&verbatim=1", http.StatusOK)
	if exact.Find(".suggestion").Length() != 0 || exact.Find("li.hit").Length() != 0 {
		t.Error("verbatim corrected the words")
	}
	_, body := app.fetch(t, "/search.json?q=contrastiv+lerning", http.StatusOK, "application/json")
	if res := decodeJSON[apiSearch](t, body); res.Query != "contrastiv lerning" || res.Corrected != "contrastive learning" || res.Total == 0 {
		t.Errorf("JSON query %q corrected %q, %d hits", res.Query, res.Corrected, res.Total)
	}
	if app.page(t, "/search?q=augment", http.StatusOK).Find(".suggestion").Length() != 0 {
		t.Error("a correction for a query that finds plenty")
	}
}

// TestRelaxedSearchSaysWhatIsMissing: a question whose words are never
// all in one line lists the lines with most of them, says so, and names
// the words each lacks, in HTML and JSON.
func TestRelaxedSearchSaysWhatIsMissing(t *testing.T) {
	app := newTestApp(t)
	q := url.Values{"q": {"what did they say about kaggle and instagram"}}.Encode()
	doc := app.page(t, "/search?"+q+"&group=none", http.StatusOK)
	notice := doc.Find("p.notice").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.Contains(s.Text(), "No line has all the words")
	})
	if notice.Length() != 1 || notice.Find("a").AttrOr("href", "") != "/search?group=none&q=what+did+they+say+about+kaggle+and+instagram&verbatim=1" {
		t.Errorf("notice %q, link %q", notice.Text(), notice.Find("a").AttrOr("href", ""))
	}
	hits := doc.Find("li.hit")
	if hits.Length() == 0 {
		t.Fatal("no hits")
	}
	hits.Each(func(i int, h *goquery.Selection) {
		lacks := h.Find(".lacks s").Text()
		if lacks != "kaggle" && lacks != "instagram" {
			t.Errorf("hit %d lacks %q, want one of the two words", i, lacks)
		}
	})
	_, body := app.fetch(t, "/search.json?"+q, http.StatusOK, "application/json")
	res := decodeJSON[apiSearch](t, body)
	if !res.Relaxed || len(res.Hits)+len(res.Groups) == 0 {
		t.Fatalf("JSON relaxed %v, %d hits", res.Relaxed, len(res.Hits))
	}
	for _, h := range res.Hits {
		if len(h.Missing) != 1 {
			t.Errorf("JSON hit lacks %v", h.Missing)
		}
	}
}

func TestFilterThatFindsNothingCanBeLifted(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/search?q=kaggle&video=MpdbFLXOOIw", http.StatusOK)
	a := doc.Find(".notice a").First()
	if !strings.Contains(doc.Find(".notice").Text(), "in the videos you chose") || a.AttrOr("href", "") != "/search?q=kaggle" {
		t.Errorf("notice %q, link %q", doc.Find(".notice").Text(), a.AttrOr("href", ""))
	}
	if app.page(t, a.AttrOr("href", ""), http.StatusOK).Find("li.hit").Length() == 0 {
		t.Error("lifting the filter finds nothing")
	}
}

// TestVeryCommonSearchesSayHowTheyAreListed: past the count cap, a page
// says the total is capped and how its moments were chosen, in HTML and
// JSON: ranked from the index's best matches, or, while the index has
// none (rows written by another tool since the last import), words in
// every segment listed newest first, unranked, and a query with a rare
// alternative ranked among the newest.
func TestVeryCommonSearchesSayHowTheyAreListed(t *testing.T) {
	var rows []string
	for i := range search.CountCap + 50 {
		rows = append(rows, fmt.Sprintf(`{"video_id":"cap%08d","start_second":%d,"end_second":%d,"text":"the same words every time %d","title":"Cap"}`,
			i/500, (i%500)*10, (i%500)*10+10, i))
	}
	app := newTestApp(t, rows...)
	type listing struct {
		query, notice, summary, count string
		unranked                      bool
	}
	check := func(cases []listing) {
		t.Helper()
		for _, c := range cases {
			doc := app.page(t, "/search?"+url.Values{"q": {c.query}}.Encode(), http.StatusOK)
			if got := doc.Find(".notice").Text(); c.notice == "" && got != "" || !strings.Contains(got, c.notice) {
				t.Errorf("%s: notice %q", c.query, got)
			}
			if got := doc.Find(".lede").Text(); got != c.summary && !strings.HasPrefix(got, c.summary+" ") {
				t.Errorf("%s: summary %q", c.query, got)
			}
			// The pager agrees: "5+" while later pages may find videos.
			of := c.summary[strings.LastIndex(c.summary, " ")+1:]
			if got := doc.Find(".pager .current").Text(); got != "Page 1 of "+of {
				t.Errorf("%s: pager %q, want page 1 of %s", c.query, got, of)
			}
			// Each video's count is of all its matches, though the total
			// stops at 20,000, or says what it counts.
			if got := doc.Find("li.group .meta").First().Text(); got != c.count {
				t.Errorf("%s: a video's count reads %q", c.query, got)
			}
			_, body := app.fetch(t, "/search.json?"+url.Values{"q": {c.query}}.Encode(), http.StatusOK, "application/json")
			if res := decodeJSON[apiSearch](t, body); !res.Capped || res.Unranked != c.unranked || res.Total != search.CountCap || !res.VideosMore {
				t.Errorf("%s: JSON capped %v, unranked %v, total %d, videos_more %v", c.query, res.Capped, res.Unranked, res.Total, res.VideosMore)
			}
		}
	}
	common := listing{"same words", "", "20,000+ moments in 41+ videos · page 1 of 5+", "500 matching moments", false}
	if testPostgres != nil {
		// PostgreSQL keeps no lists of each word's best moments
		// (search.Index.Best), so words in more than half of them list
		// the newest, as SQLite does below once its lists miss a line.
		common.notice, common.unranked = "too common to rank: the most recently imported are shown first", true
	}
	check([]listing{
		common,
		{"same OR platypus", "", "20,000+ moments in 41+ videos · page 1 of 5+", "500 matching moments", false},
	})
	app.exec(t, `INSERT INTO segments (video_id, start_second, end_second, text) VALUES ('cap00000040', 9000, 9010, 'the same words every time, written by another tool');
		UPDATE catalog_version SET version = version + 1`)
	check([]listing{
		{"same words", "too common to rank: the most recently imported are shown first", "20,000+ moments in 41+ videos · page 1 of 5+", "500 matching moments", true},
		{"same OR platypus", "", "20,000+ moments in 41+ videos · page 1 of 5+", "500 matching moments", false},
	})
	// A list of every moment of it is ranked among the newest, and says so;
	// the grouped page above ranks each video's matches, all of them.
	if got := app.page(t, "/search?q=same+OR+platypus&group=none", http.StatusOK).Find(".notice").Text(); !strings.Contains(got, "the best among the 2,000 most recently imported are shown") {
		t.Errorf("every moment of same OR platypus: notice %q", got)
	}
	// Several notices at once: every one is shown, not the last written.
	long := strings.Repeat("same words ", 100) // over 1,000 bytes and 24 words
	want := []string{"only its first 1,000 characters were used", "Only the first 24 words", "too common to rank"}
	doc := app.page(t, "/search?"+url.Values{"q": {long}}.Encode(), http.StatusOK)
	notices := doc.Find("p.notice")
	if notices.Length() != len(want) {
		t.Errorf("%d notices, want %d: %q", notices.Length(), len(want), notices.Text())
	}
	_, body := app.fetch(t, "/search.json?"+url.Values{"q": {long}}.Encode(), http.StatusOK, "application/json")
	got := decodeJSON[apiSearch](t, body).Notices
	for i, w := range want {
		if !strings.Contains(notices.Eq(i).Text(), w) {
			t.Errorf("notice %d: %q, want %q", i, notices.Eq(i).Text(), w)
		}
		if i >= len(got) || !strings.Contains(got[i], w) {
			t.Errorf("JSON notice %d: %q, want %q", i, got, w)
		}
	}
}

// TestSponsorReadsRankLastAndFold: a sponsor read said in five episodes
// is repeated text: a word it shares with the conversation finds the
// conversation first, the read once, with a link to its other copies,
// which lists them all; JSON says the same.
func TestSponsorReadsRankLastAndFold(t *testing.T) {
	read := "this episode is brought to you by dreamfoam the mattress company that ships a mattress to your door " +
		"in a box and gives you one hundred nights to try it go to dreamfoam dot com slash show and use the code at checkout"
	var rows []string
	for i := range 5 {
		id := fmt.Sprintf("episode%04d", i)
		rows = append(rows,
			row(id, 0, 30, read, fmt.Sprintf("Episode %d", i)),
			row(id, 30, 60, fmt.Sprintf("so in episode %d we talk about sleep schedules and how a guest changed careers", i), fmt.Sprintf("Episode %d", i)))
	}
	rows = append(rows, row("episode0009", 0, 30, "my old mattress was so bad I slept on the floor for a year", "Episode 9"))
	app := newTestApp(t, rows...)
	doc := app.page(t, "/search?q=mattress&group=none", http.StatusOK)
	hits := doc.Find("li.hit")
	if hits.Length() != 2 {
		t.Fatalf("%d hits, want the conversation and one copy of the read", hits.Length())
	}
	if got := hits.Eq(0).Find(".snippet").Text(); !strings.Contains(got, "floor") {
		t.Errorf("first hit %q, want the conversation", got)
	}
	note := hits.Eq(1).Find(".repeat-note")
	link := note.Find("a")
	if !strings.Contains(note.Text(), "repeated text") || link.Text() != "and 4 more videos with this read" {
		t.Errorf("second hit's note %q", note.Text())
	}
	if !strings.Contains(doc.Find(".lede").Text(), "5 in repeated text") {
		t.Errorf("summary %q", doc.Find(".lede").Text())
	}
	copies := app.page(t, link.AttrOr("href", ""), http.StatusOK)
	if n := copies.Find("li.hit").Length(); n != 5 {
		t.Errorf("the read's copies list %d hits, want 5", n)
	}
	_, body := app.fetch(t, "/search.json?q=mattress&group=none", http.StatusOK, "application/json")
	res := decodeJSON[apiSearch](t, body)
	if res.Repeated != 5 || len(res.Hits) != 2 || res.Hits[0].Repeated || !res.Hits[1].Repeated || res.Hits[1].MoreVideos != 4 || res.Hits[1].CopiesURL == "" {
		t.Errorf("JSON repeated %d, hits %+v", res.Repeated, res.Hits)
	}
}

// metaRow is a dataset row with the optional columns.
func metaRow(id string, start int, speaker, text, title, channel, published string) string {
	return fmt.Sprintf(`{"video_id":%q,"text":%q,"start_second":%d,"end_second":%d,"title":%q,"channel":%q,"published":%q,"speaker":%q}`,
		id, text, start, start+20, title, channel, published, speaker)
}

// TestSearchByChannelSpeakerAndDate: the filters narrow results as URL
// parameters and as operators typed in the box, facets count by channel,
// speaker and year, results sort by publication, and hits say who said it
// where and when, in HTML and JSON.
func TestSearchByChannelSpeakerAndDate(t *testing.T) {
	app := newTestApp(t,
		metaRow("structures1", 0, "Host", "welcome back today we talk about suspension bridges and their cables", "Bridges, part one", "Structures Weekly", "2021-03-14"),
		metaRow("structures1", 20, "Grace Hopper", "a suspension bridge hangs its deck from cables in tension", "Bridges, part one", "Structures Weekly", "2021-03-14"),
		metaRow("daily000001", 0, "Ada Lovelace", "the first iron bridge was cast in pieces like carpentry", "Iron", "Bridges Daily", "2023-05-01"),
		metaRow("daily000001", 20, "Host", "and that bridge still stands over the river today", "Iron", "Bridges Daily", "2023-05-01"),
	)
	hitsOf := func(target string) []string {
		t.Helper()
		doc := app.page(t, target, http.StatusOK)
		return doc.Find("li.hit .snippet").Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	}
	all := app.page(t, "/search?q=bridge&group=none", http.StatusOK)
	facets := map[string][]string{}
	all.Find("aside.facets h2").Each(func(_ int, h *goquery.Selection) {
		facets[h.Text()] = h.Next().Find("li a").Map(func(_ int, a *goquery.Selection) string { return strings.TrimSpace(a.Text()) })
	})
	if len(facets["Channels"]) != 2 || len(facets["Speakers"]) != 3 || !slices.Equal(facets["Years"], []string{"2023", "2021"}) {
		t.Errorf("facets %v", facets)
	}
	meta := all.Find("li.hit .meta").First().Text()
	if !strings.Contains(meta, "Bridges Daily") && !strings.Contains(meta, "Structures Weekly") {
		t.Errorf("a hit's meta %q names no channel", meta)
	}

	byURL := hitsOf("/search?q=bridge&group=none&speaker=ada+lovelace")
	byBox := hitsOf("/search?group=none&q=" + url.QueryEscape(`bridge speaker:"Ada Lovelace"`))
	if len(byURL) != 1 || !strings.Contains(byURL[0], "iron bridge") || !slices.Equal(byURL, byBox) {
		t.Errorf("speaker by URL %q, by operator %q", byURL, byBox)
	}
	box := app.page(t, "/search?group=none&q="+url.QueryEscape(`bridge speaker:"Ada Lovelace"`), http.StatusOK)
	lift := box.Find("ul.filters a").AttrOr("href", "")
	if got := box.Find("ul.filters li").Text(); !strings.Contains(got, "Ada Lovelace") || lift != "/search?group=none&q=bridge" {
		t.Errorf("filters %q, lift %q", got, lift)
	}
	if got := hitsOf("/search?q=bridge&group=none&channel=bridges-daily&after=2022"); len(got) != 2 {
		t.Errorf("channel and date: %q", got)
	}
	if got := hitsOf("/search?q=bridge&group=none&before=2021-12"); len(got) != 2 || !strings.Contains(strings.Join(got, " "), "suspension") {
		t.Errorf("before 2022: %q", got)
	}
	newest := hitsOf("/search?q=bridge&group=none&sort=newest")
	oldest := hitsOf("/search?q=bridge&group=none&sort=oldest")
	if len(newest) != 4 || !strings.Contains(newest[0]+newest[1], "iron") || !strings.Contains(oldest[0]+oldest[1], "suspension") {
		t.Errorf("newest %q, oldest %q", newest, oldest)
	}

	_, body := app.fetch(t, "/search.json?q=bridge&group=none&speaker=Ada+Lovelace", http.StatusOK, "application/json")
	res := decodeJSON[apiSearch](t, body)
	if res.Filters.Speaker != "Ada Lovelace" || len(res.Hits) != 1 {
		t.Fatalf("JSON filters %+v, %d hits", res.Filters, len(res.Hits))
	}
	if h := res.Hits[0]; h.Speaker != "Ada Lovelace" || h.Channel != "Bridges Daily" || h.Published != "2023-05-01" || h.ChannelID != "bridges-daily" {
		t.Errorf("JSON hit %+v", h)
	}
	_, body = app.fetch(t, "/search.json?q=bridge&group=none", http.StatusOK, "application/json")
	if res := decodeJSON[apiSearch](t, body); len(res.ChannelFacets) != 2 || len(res.YearFacets) != 2 || len(res.SpeakerFacets) != 3 ||
		!strings.Contains(res.ChannelFacets[0].URL, "/search.json?") {
		t.Errorf("JSON facets %+v %+v %+v", res.ChannelFacets, res.YearFacets, res.SpeakerFacets)
	}
}

// TestOneRuleForHitLinks: whatever the view (grouped, every moment) and in
// JSON, a hit's text and title lead to our line with the query kept, its
// timestamp to the moment on YouTube.
func TestOneRuleForHitLinks(t *testing.T) {
	app := newTestApp(t)
	check := func(where, line, ts, videoID string, start, moment int) {
		t.Helper()
		if want := fmt.Sprintf("/videos/%s?q=augment#t%d", videoID, start); !strings.HasSuffix(line, want) {
			t.Errorf("%s: line link %q, want …%s", where, line, want)
		}
		if want := youTubeAt(videoID, moment); ts != want {
			t.Errorf("%s: timestamp link %q, want %s", where, ts, want)
		}
	}
	type hit struct {
		VideoID string `json:"video_id"`
		Start   int    `json:"start_second"`
		Moment  int    `json:"moment_second"`
		URL     string `json:"url"`
		YouTube string `json:"youtube_url"`
	}
	for _, group := range []string{"none", "video"} {
		_, body := app.fetch(t, "/search.json?q=augment&group="+group, http.StatusOK, "application/json")
		var res struct {
			Hits   []hit `json:"hits"`
			Groups []struct {
				Hits []hit `json:"hits"`
			} `json:"groups"`
		}
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatal(err)
		}
		hits := res.Hits
		for _, g := range res.Groups {
			hits = append(hits, g.Hits...)
		}
		if len(hits) == 0 {
			t.Fatalf("group=%s: no hits", group)
		}
		for _, h := range hits {
			check("JSON group="+group, h.URL, h.YouTube, h.VideoID, h.Start, h.Moment)
		}
		doc := app.page(t, "/search?q=augment&group="+group, http.StatusOK)
		rows := doc.Find("li.hit, .group-hits li")
		if rows.Length() != len(hits) {
			t.Fatalf("group=%s: %d hits on the page, %d in JSON", group, rows.Length(), len(hits))
		}
		rows.Each(func(i int, row *goquery.Selection) {
			h := hits[i]
			text := row.Find("h2 a, a.snippet").First().AttrOr("href", "")
			check("page group="+group, text, row.Find("a.ts").AttrOr("href", ""), h.VideoID, h.Start, h.Moment)
		})
	}
}
