package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/yuin/goldmark"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

// fetch performs a request and returns the response with its body read.
func (a *testApp) fetch(t *testing.T, target string, wantStatus int, wantType string) (*http.Response, []byte) {
	t.Helper()
	resp := a.get(t, target)
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d: %s", target, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
		t.Fatalf("GET %s: Content-Type %q, want %s", target, ct, wantType)
	}
	return resp, body
}

func decodeJSON[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields() // the documented schema is all there is
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

func TestSearchJSONMatchesPage(t *testing.T) {
	app := newTestApp(t)
	_, body := app.fetch(t, "/search.json?q=the+OR+a&group=none", http.StatusOK, "application/json")
	res := decodeJSON[apiSearch](t, body)
	doc := app.page(t, "/search?q=the+OR+a&group=none", http.StatusOK)
	lines := doc.Find("li.hit h2 a").Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("href", "") })
	if res.Total != 100 || res.Page != 1 || res.Pages != 5 || res.PerPage != 20 || len(res.Hits) != len(lines) {
		t.Fatalf("total %d page %d/%d, %d hits vs %d on the page", res.Total, res.Page, res.Pages, len(res.Hits), len(lines))
	}
	for i, h := range res.Hits {
		if h.URL != "http://example.com"+lines[i] {
			t.Errorf("hit %d url %s, page links %s", i, h.URL, lines[i])
		}
		if h.YouTubeURL != youTubeAt(h.VideoID, h.MomentSecond) || h.StartSecond > h.MomentSecond || h.EndSecond < h.StartSecond {
			t.Errorf("hit %d: %+v", i, h)
		}
		if h.Title == "" || h.Thumbnail == "" || h.Snippet == "" || !strings.Contains(h.SnippetHTML, "<mark>") {
			t.Errorf("hit %d incomplete: %+v", i, h)
		}
	}
	if res.Next != "http://example.com/search.json?group=none&page=2&q=the+OR+a" || res.Prev != "" {
		t.Errorf("next %q prev %q", res.Next, res.Prev)
	}
	if href, _ := doc.Find(`link[rel="alternate"][type="application/json"]`).Attr("href"); href != "/search.json?group=none&q=the+OR+a" {
		t.Errorf("alternate link %q", href)
	}
}

func TestVideoJSON(t *testing.T) {
	app := newTestApp(t)
	_, body := app.fetch(t, "/videos/MpdbFLXOOIw.json", http.StatusOK, "application/json")
	tr := decodeJSON[apiTranscript](t, body)
	segs, _ := app.catalog.Transcript(context.Background(), "MpdbFLXOOIw")
	v := tr.Video
	if v.ID != "MpdbFLXOOIw" || v.Title != "Supervised Contrastive Learning" || v.DurationSeconds != 1803 || v.SegmentCount != 34 ||
		v.URL != "http://example.com/videos/MpdbFLXOOIw" || v.YouTubeURL != "https://www.youtube.com/watch?v=MpdbFLXOOIw" || v.ImportedAt.IsZero() {
		t.Errorf("video %+v", v)
	}
	if len(tr.Segments) != len(segs) {
		t.Fatalf("%d segments, want %d", len(tr.Segments), len(segs))
	}
	for i, s := range tr.Segments {
		if s.StartSecond != segs[i].Start || s.EndSecond != segs[i].End || s.Text != segs[i].Text ||
			s.URL != fmt.Sprintf("http://example.com/videos/MpdbFLXOOIw#t%d", segs[i].Start) || s.YouTubeURL != youTubeAt("MpdbFLXOOIw", segs[i].Start) {
			t.Errorf("segment %d = %+v", i, s)
		}
	}
	doc := app.page(t, "/videos/MpdbFLXOOIw", http.StatusOK)
	if href, _ := doc.Find(`link[rel="alternate"][type="application/json"]`).Attr("href"); href != "/videos/MpdbFLXOOIw.json" {
		t.Errorf("alternate link %q", href)
	}
}

func TestVideosJSONPaginates(t *testing.T) {
	var extra []string
	for i := range 30 {
		extra = append(extra, row(fmt.Sprintf("zzzzzzzz%03d", i), 0, 10, "words", fmt.Sprintf("Video %02d", i)))
	}
	app := newTestApp(t, extra...)
	_, body := app.fetch(t, "/videos.json", http.StatusOK, "application/json")
	first := decodeJSON[apiVideos](t, body)
	if first.Total != 34 || first.TotalLines != 130 || first.Pages != 2 || len(first.Videos) != videosPerPage || first.Next != "http://example.com/videos.json?page=2" {
		t.Fatalf("page 1: total %d lines %d pages %d, %d videos, next %q", first.Total, first.TotalLines, first.Pages, len(first.Videos), first.Next)
	}
	_, body = app.fetch(t, "/videos.json?page=2", http.StatusOK, "application/json")
	second := decodeJSON[apiVideos](t, body)
	if len(second.Videos) != 34-videosPerPage || second.Prev != "http://example.com/videos.json" || second.Next != "" {
		t.Errorf("page 2: %d videos, prev %q next %q", len(second.Videos), second.Prev, second.Next)
	}
	app.fetch(t, "/videos.json?page=3", http.StatusNotFound, "application/json")
}

func TestJSONErrors(t *testing.T) {
	app := newTestApp(t)
	for target, status := range map[string]int{
		"/search.json":                     http.StatusBadRequest,
		"/search.json?q=-the":              http.StatusBadRequest,
		"/search.json?q=the&page=0":        http.StatusBadRequest,
		"/videos/nopenopenop.json":         http.StatusNotFound,
		"/videos.json?page=x":              http.StatusBadRequest,
		"/search.json?q=" + "%F0%9F%98%80": http.StatusBadRequest,
	} {
		_, body := app.fetch(t, target, status, "application/json")
		e := decodeJSON[apiError](t, body)
		if e.Status != status || e.Error == "" {
			t.Errorf("%s: %+v", target, e)
		}
	}
}

func TestCORSIsOptIn(t *testing.T) {
	app := newTestApp(t)
	req := httptest.NewRequest(http.MethodGet, "/search.json?q=mixup", nil)
	req.Header.Set("Origin", "https://elsewhere.example")
	rec := httptest.NewRecorder()
	app.handler.ServeHTTP(rec, req)
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("CORS header %q without -cors", got)
	}

	cors := newTestAppWith(t, Config{SearchTimeout: time.Second, CORS: true})
	rec = httptest.NewRecorder()
	cors.handler.ServeHTTP(rec, req)
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "*" || rec.Code != http.StatusOK {
		t.Errorf("with -cors: %d, Access-Control-Allow-Origin %q", rec.Code, got)
	}
}

func TestTranscriptExportsRoundTrip(t *testing.T) {
	app := newTestApp(t)
	const id = "1L83tM8nwHU"
	segs, _ := app.catalog.Transcript(context.Background(), id)
	for _, ext := range []string{".srt", ".vtt"} {
		resp, body := app.fetch(t, "/videos/"+id+ext, http.StatusOK, map[string]string{".srt": "application/x-subrip", ".vtt": "text/vtt"}[ext])
		if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="`+id+ext+`"` {
			t.Errorf("%s: Content-Disposition %q", ext, cd)
		}
		// Read back through the project's own importer.
		var got []catalog.Record
		for r, err := range ingest.Subtitles(bytes.NewReader(body), id+ext, id, "") {
			if err != nil {
				t.Fatalf("%s does not read back: %v", ext, err)
			}
			got = append(got, r)
		}
		if len(got) != len(segs) {
			t.Fatalf("%s: %d cues for %d segments", ext, len(got), len(segs))
		}
		for i, r := range got {
			if r.Start != segs[i].Start || r.End != segs[i].End || r.Text != segs[i].Text {
				t.Errorf("%s cue %d = %d-%d %q, want %d-%d %q", ext, i, r.Start, r.End, r.Text, segs[i].Start, segs[i].End, segs[i].Text)
			}
		}
	}

	_, body := app.fetch(t, "/videos/"+id+".txt", http.StatusOK, "text/plain")
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if lines[0] != "Manifold Mixup: Better Representations by Interpolating Hidden States" || len(lines) != 3+len(segs) {
		t.Errorf("text export: %d lines, first %q", len(lines), lines[0])
	}
	if want := "[0:00] " + segs[0].Text; lines[3] != want {
		t.Errorf("text line %q, want %q", lines[3], want)
	}

	_, body = app.fetch(t, "/videos/"+id+".md", http.StatusOK, "text/markdown")
	var html bytes.Buffer
	if err := goldmark.Convert(body, &html); err != nil {
		t.Fatal(err)
	}
	doc, _ := goquery.NewDocumentFromReader(&html)
	if doc.Find("h1").Text() != "Manifold Mixup: Better Representations by Interpolating Hidden States" {
		t.Errorf("markdown h1 %q", doc.Find("h1").Text())
	}
	links := doc.Find("p > a")
	if links.Length() != 1+len(segs) {
		t.Fatalf("markdown has %d links, want %d", links.Length(), 1+len(segs))
	}
	for i, seg := range segs {
		a := links.Eq(i + 1)
		if a.AttrOr("href", "") != youTubeAt(id, seg.Start) || a.Text() != clockText(seg.Start) {
			t.Errorf("markdown line %d links %q as %q", i, a.AttrOr("href", ""), a.Text())
		}
		if p := a.Parent().Text(); p != clockText(seg.Start)+" "+seg.Text {
			t.Errorf("markdown line %d reads %q", i, p)
		}
	}

	page := app.page(t, "/videos/"+id, http.StatusOK)
	for _, ext := range []string{".txt", ".md", ".srt", ".vtt", ".json"} {
		if page.Find(`.downloads a[download][href="/videos/`+id+ext+`"]`).Length() != 1 {
			t.Errorf("no download link for %s on the video page", ext)
		}
	}
	app.fetch(t, "/videos/"+id+".pdf", http.StatusNotFound, "text/html")
}

func TestSearchCSV(t *testing.T) {
	app := newTestApp(t, row("escapes_001", 0, 20, `comma, "quotes" and
newline augment`, "Title, with comma"))
	resp, body := app.fetch(t, "/search.csv?q=augment", http.StatusOK, "text/csv")
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="search-augment.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(records[0], ",") != "video_id,title,start_second,end_second,moment_second,text,youtube_url,url" {
		t.Errorf("header %v", records[0])
	}
	if len(records) != 1+10 {
		t.Fatalf("%d rows, want the 10 hits", len(records)-1)
	}
	found := false
	for _, r := range records[1:] {
		start, end, moment := atoi(r[2]), atoi(r[3]), atoi(r[4])
		if moment < start || moment > end || r[6] != youTubeAt(r[0], moment) || r[7] != fmt.Sprintf("http://example.com/videos/%s?q=augment#t%d", r[0], start) {
			t.Errorf("row %v", r)
		}
		if r[0] == "escapes_001" {
			found = r[1] == "Title, with comma" && r[5] == `comma, "quotes" and newline augment`
		}
	}
	if !found {
		t.Error("quoted fields did not survive")
	}
	app.fetch(t, "/search.csv", http.StatusBadRequest, "text/plain")
	_, body = app.fetch(t, "/search.csv?q=xylophone", http.StatusOK, "text/csv")
	if records, _ := csv.NewReader(bytes.NewReader(body)).ReadAll(); len(records) != 1 {
		t.Errorf("no hits: %d records, want the header", len(records))
	}
}

// TestSearchCSVNeutralisesFormulas: titles and text that a spreadsheet
// would run as formulas (issue 16, item 4), including a leading tab that
// the importer trims away.
func TestSearchCSVNeutralisesFormulas(t *testing.T) {
	app := newTestApp(t,
		row("formula_001", 0, 20, "=HYPERLINK(\"http://evil.example\",\"augment\")", "@SUM(1+1)"),
		row("formula_002", 0, 20, "\t=1+1 augment", "+title"),
		row("formula_003", 0, 20, "-2+3 augment", "-title"))
	_, body := app.fetch(t, "/search.csv?q=augment", http.StatusOK, "text/csv")
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"formula_001": {"'@SUM(1+1)", "'=HYPERLINK(\"http://evil.example\",\"augment\")"},
		"formula_002": {"'+title", "'=1+1 augment"},
		"formula_003": {"'-title", "'-2+3 augment"},
	}
	seen := 0
	for _, r := range records[1:] {
		w, ok := want[r[0]]
		if !ok {
			continue
		}
		seen++
		if r[1] != w[0] || r[5] != w[1] {
			t.Errorf("%s: title %q, text %q; want %q, %q", r[0], r[1], r[5], w[0], w[1])
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d formula rows in the CSV", seen, len(want))
	}
}

func TestSearchClipList(t *testing.T) {
	app := newTestApp(t)
	resp, body := app.fetch(t, "/search.sh?q=augment", http.StatusOK, "text/plain")
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="search-augment.sh"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	clip := regexp.MustCompile(`^yt-dlp --download-sections '\*(\d+)-(\d+)' 'https://www\.youtube\.com/watch\?v=([A-Za-z0-9_-]{11})'$`)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(body)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		m := clip.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("not a clip line: %q", line)
			continue
		}
		if start, _ := strconv.Atoi(m[1]); start >= atoi(m[2]) {
			t.Errorf("empty section in %q", line)
		}
		n++
	}
	if n != 9 {
		t.Errorf("%d clips, want 9", n)
	}
	doc := app.page(t, "/search?q=augment", http.StatusOK)
	for _, href := range []string{"/search.csv?q=augment", "/search.sh?q=augment", "/search.atom?q=augment", "/search.json?q=augment"} {
		if doc.Find(`.downloads a[href="`+href+`"]`).Length() != 1 {
			t.Errorf("no link to %s on the results page", href)
		}
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary string `xml:"summary"`
	} `xml:"entry"`
}

func TestSearchAtomNewestImportsFirst(t *testing.T) {
	app := newTestApp(t)
	// A later import: its moments come first in the feed.
	app.clock.advance(time.Hour)
	if _, err := app.catalog.Import(context.Background(), ingest.JSONLines(strings.NewReader(row("newvideo_01", 60, 80, "fresh augment talk", "New one")), "new.jsonl"), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	_, body := app.fetch(t, "/search.atom?q=augment", http.StatusOK, "application/atom+xml")
	var feed atomFeed
	if err := xml.Unmarshal(body, &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 10 || feed.ID != "http://example.com/search.atom?q=augment" || !strings.Contains(feed.Title, "augment") {
		t.Fatalf("feed %q %q with %d entries", feed.ID, feed.Title, len(feed.Entries))
	}
	first := feed.Entries[0]
	if first.ID != "http://example.com/videos/newvideo_01#t60" || first.Title != "“fresh augment talk” at 1:00 — New one" || first.Summary != "fresh augment talk" {
		t.Errorf("first entry %+v", first)
	}
	if feed.Updated != first.Updated || feed.Updated <= feed.Entries[1].Updated {
		t.Errorf("feed updated %s, entries %s then %s", feed.Updated, first.Updated, feed.Entries[1].Updated)
	}
	for _, e := range feed.Entries {
		// The entry's id stays the line's; its link keeps the query.
		if len(e.Links) != 2 || e.Links[0].Href != strings.Replace(e.ID, "#", "?q=augment#", 1) || !strings.HasPrefix(e.Links[1].Href, "https://www.youtube.com/watch?v=") {
			t.Errorf("entry links %+v", e.Links)
		}
	}
	doc := app.page(t, "/search?q=augment", http.StatusOK)
	if href, _ := doc.Find(`link[rel="alternate"][type="application/atom+xml"]`).Attr("href"); href != "/search.atom?q=augment" {
		t.Errorf("feed link %q", href)
	}
}

func TestOpenSearchSitemapRobots(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/about", http.StatusOK)
	if href, _ := doc.Find(`link[rel="search"][type="application/opensearchdescription+xml"]`).Attr("href"); href != "/opensearch.xml" {
		t.Errorf("opensearch link %q", href)
	}
	_, body := app.fetch(t, "/opensearch.xml", http.StatusOK, "application/opensearchdescription+xml")
	var os struct {
		XMLName   xml.Name `xml:"http://a9.com/-/spec/opensearch/1.1/ OpenSearchDescription"`
		ShortName string   `xml:"ShortName"`
		URLs      []struct {
			Type     string `xml:"type,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.Unmarshal(body, &os); err != nil {
		t.Fatal(err)
	}
	if os.ShortName != "Transcripts" || len(os.URLs) == 0 || os.URLs[0].Type != "text/html" || os.URLs[0].Template != "http://example.com/search?q={searchTerms}" {
		t.Errorf("opensearch %+v", os)
	}

	_, body = app.fetch(t, "/sitemap.xml", http.StatusOK, "application/xml")
	var sm struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &sm); err != nil {
		t.Fatal(err)
	}
	locs := map[string]bool{}
	for _, u := range sm.URLs {
		locs[u.Loc] = true
	}
	for _, want := range []string{"http://example.com/", "http://example.com/videos/MpdbFLXOOIw", "http://example.com/videos/1L83tM8nwHU", "http://example.com/videos/mPFq5KMxKVw", "http://example.com/videos/5cySIwg49RI"} {
		if !locs[want] {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	if len(sm.URLs) != 6 || sm.URLs[1].Loc != "http://example.com/channels" || len(sm.URLs[2].LastMod) != len("2006-01-02") {
		t.Errorf("sitemap %+v", sm.URLs)
	}

	_, body = app.fetch(t, "/robots.txt", http.StatusOK, "text/plain")
	for _, line := range []string{"User-agent: *", "Disallow: /search", "Sitemap: http://example.com/sitemap.xml"} {
		if !strings.Contains(string(body), line+"\n") {
			t.Errorf("robots.txt lacks %q:\n%s", line, body)
		}
	}
}

func TestLinkPreviews(t *testing.T) {
	app := newTestApp(t)
	meta := func(doc *goquery.Document, attr, name string) string {
		return doc.Find(`meta[`+attr+`="`+name+`"]`).AttrOr("content", "")
	}
	video := app.page(t, "/videos/MpdbFLXOOIw", http.StatusOK)
	if meta(video, "property", "og:title") != "Supervised Contrastive Learning" || meta(video, "property", "og:image") != "https://i.ytimg.com/vi/MpdbFLXOOIw/hqdefault.jpg" ||
		meta(video, "property", "og:type") != "video.other" || meta(video, "name", "twitter:card") != "summary_large_image" ||
		meta(video, "property", "og:url") != "http://example.com/videos/MpdbFLXOOIw" {
		t.Errorf("video preview: title %q image %q", meta(video, "property", "og:title"), meta(video, "property", "og:image"))
	}
	if canon := video.Find(`link[rel="canonical"]`).AttrOr("href", ""); canon != "http://example.com/videos/MpdbFLXOOIw" {
		t.Errorf("canonical %q", canon)
	}

	// A moment URL previews as the words said then.
	for _, t898 := range []string{"898", "898s", "14m58s", "14:58"} {
		moment := app.page(t, "/videos/MpdbFLXOOIw?t="+t898, http.StatusOK)
		title := meta(moment, "property", "og:title")
		if !strings.HasPrefix(title, "“around them in smaller black thoughts augmented") || !strings.HasSuffix(title, "” at 14:58 — Supervised Contrastive Learning") {
			t.Errorf("t=%s: moment preview title %q", t898, title)
		}
		if meta(moment, "property", "og:url") != "http://example.com/videos/MpdbFLXOOIw?t=898" || meta(moment, "property", "og:image") == "" {
			t.Errorf("t=%s: og:url %q", t898, meta(moment, "property", "og:url"))
		}
		if moment.Find("aside.moment a[href='#t893']").Length() != 1 || moment.Find("li#t893.moment-line").Length() != 1 {
			t.Errorf("t=%s: the moment's line is not pointed out", t898)
		}
	}
	app.page(t, "/videos/MpdbFLXOOIw?t=soon", http.StatusBadRequest)

	search := app.page(t, "/search?q=augment", http.StatusOK)
	if title := meta(search, "property", "og:title"); !strings.Contains(title, "augment") {
		t.Errorf("search preview title %q", title)
	}
	home := app.page(t, "/", http.StatusOK)
	if meta(home, "property", "og:title") != "Transcripts" || meta(home, "property", "og:description") == "" {
		t.Errorf("home preview %q", meta(home, "property", "og:title"))
	}
}

func TestVideoStructuredData(t *testing.T) {
	app := newTestApp(t)
	doc := app.page(t, "/videos/MpdbFLXOOIw", http.StatusOK)
	script := doc.Find(`script[type="application/ld+json"]`)
	if script.Length() != 1 {
		t.Fatalf("%d JSON-LD scripts", script.Length())
	}
	var obj videoObject
	if err := json.Unmarshal([]byte(script.Text()), &obj); err != nil {
		t.Fatal(err)
	}
	if obj.Type != "VideoObject" || obj.Name != "Supervised Contrastive Learning" || obj.Duration != "PT30M3S" || len(obj.HasPart) != 34 ||
		obj.PotentialAction.Type != "SeekToAction" || !strings.Contains(obj.PotentialAction.Target, "{seek_to_second_number}") {
		t.Errorf("structured data %+v", obj)
	}
	if c := obj.HasPart[0]; c.Type != "Clip" || c.StartOffset != 838 || c.EndOffset != 865 || c.URL != youTubeAt("MpdbFLXOOIw", 838) {
		t.Errorf("first clip %+v", c)
	}
}

func TestParseMoment(t *testing.T) {
	for in, want := range map[string]int{"898": 898, "898s": 898, "14m58s": 898, "14m": 840, "1h2m3s": 3723, "1h": 3600, "14:58": 898, "1:02:03": 3723, "0": 0} {
		if got, ok := parseMoment(in); !ok || got != want {
			t.Errorf("parseMoment(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"-5", "soon", "14:5", "1:2:3:4", "14:60", "1e3", "h", "5 s", "99999999999"} {
		if _, ok := parseMoment(bad); ok {
			t.Errorf("parseMoment(%q) accepted", bad)
		}
	}
}

func TestSearchJSONGroupsAndFacets(t *testing.T) {
	app := newTestApp(t)
	_, body := app.fetch(t, "/search.json?q=the", http.StatusOK, "application/json")
	res := decodeJSON[apiSearch](t, body)
	if !res.Grouped || len(res.Groups) != 4 || len(res.Hits) != 0 || res.Videos != 4 || res.PerPage != 10 || len(res.Facets) != 4 {
		t.Fatalf("grouped %v, %d groups, %d hits, %d facets", res.Grouped, len(res.Groups), len(res.Hits), len(res.Facets))
	}
	sum := 0
	for _, g := range res.Groups {
		sum += g.Count
		if len(g.Hits) == 0 || g.URL != "http://example.com/videos/"+g.VideoID+"?q=the#matches" {
			t.Errorf("group %+v", g)
		}
	}
	if sum != res.Total {
		t.Errorf("groups count %d of %d", sum, res.Total)
	}
	f := res.Facets[0]
	if f.URL != "http://example.com/search.json?q=the&video="+f.VideoID {
		t.Errorf("facet url %q", f.URL)
	}
	_, body = app.fetch(t, strings.TrimPrefix(f.URL, "http://example.com"), http.StatusOK, "application/json")
	if one := decodeJSON[apiSearch](t, body); one.Total != f.Count {
		t.Errorf("following the facet: %d hits, facet said %d", one.Total, f.Count)
	}
}
