package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

// newMetadataApp is the sample plus the ingest fixtures that say who
// speaks and when: a yt-dlp download with chapters and voices, a podcast
// with front matter, a dataset with channels.
func newMetadataApp(t *testing.T) *testApp {
	t.Helper()
	app := newTestApp(t)
	const dir = "../../internal/ingest/testdata/"
	seq, _, err := ingest.Read([]string{
		dir + "The Analytical Engine, explained [Xk3fQ9bT2mA].info.json",
		dir + "The Analytical Engine, explained [Xk3fQ9bT2mA].en.vtt",
		dir + "rev-signal-path-13.txt",
		dir + "speakers.jsonl",
	}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.catalog.Import(context.Background(), seq, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return app
}

func TestCatalogSortsAndChannels(t *testing.T) {
	app := newMetadataApp(t)
	doc := app.page(t, "/", http.StatusOK)
	var got []string
	doc.Find("ul.grid li.card a.title").Each(func(_ int, s *goquery.Selection) { got = append(got, strings.TrimSpace(s.Text())) })
	// Newest first: the dated videos by date, then the undated by title.
	want := []string{"Signal Path 13: Shannon's limit", "The Analytical Engine, explained", "Bridges, episode 1",
		"Manifold Mixup: Better Representations by Interpolating Hidden States", "Semi-Weak Supervised Learning",
		"Supervised Contrastive Learning", "Transfer Learning | Kaggle"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("newest first:\n%q\nwant\n%q", got, want)
	}
	card := doc.Find("ul.grid li.card").First()
	if a := card.Find(".byline a"); a.Text() != "Signal Path" || attr(a, "href") != "/channels/UC4sIgnalPathPodcast00" {
		t.Errorf("byline link %q → %q", a.Text(), attr(a, "href"))
	}
	if tm := card.Find(".byline time"); tm.Text() != "19 Feb 2024" || attr(tm, "datetime") != "2024-02-19" {
		t.Errorf("byline date %q %q", tm.Text(), attr(tm, "datetime"))
	}
	// The orders are links, the current one marked.
	sorts := map[string]string{}
	doc.Find(".views .option-group a").Each(func(_ int, s *goquery.Selection) { sorts[s.Text()] = attr(s, "href") })
	if sorts["oldest"] != "/?sort=oldest" || sorts["title"] != "/?sort=title" || sorts["length"] != "/?sort=length" ||
		doc.Find(`.views strong[aria-current="true"]`).Text() != "newest" {
		t.Errorf("order links %v", sorts)
	}
	doc = app.page(t, "/?sort=title", http.StatusOK)
	first := strings.TrimSpace(doc.Find("ul.grid li.card a.title").First().Text())
	if first != "Bridges, episode 1" {
		t.Errorf("by title, first %q", first)
	}
	app.page(t, "/?sort=random", http.StatusBadRequest)
	app.page(t, "/?channel=nobody-at-all", http.StatusNotFound)

	// The channel filter keeps the order; a channel's page lists its own.
	doc = app.page(t, "/?sort=oldest&channel=UC4sIgnalPathPodcast00", http.StatusOK)
	if n := doc.Find("ul.grid li.card").Length(); n != 1 || doc.Find("h1").Text() != "Signal Path" {
		t.Errorf("filtered by channel: %d cards under %q", n, doc.Find("h1").Text())
	}
	if p := doc.Find(`.channel-filter input[name="sort"]`); attr(p, "value") != "oldest" {
		t.Errorf("the filter form drops the order: %q", attr(p, "value"))
	}
	doc = app.page(t, "/channels/UCstructuresWeekly01", http.StatusOK)
	if h := doc.Find("h1").Text(); h != "Structures Weekly" || doc.Find("ul.grid li.card").Length() != 1 {
		t.Errorf("channel page %q with %d cards", h, doc.Find("ul.grid li.card").Length())
	}
	if doc.Find(`.lede a[href^="https://www.youtube.com/"]`).Length() != 0 {
		t.Error("a channel whose id is not YouTube's links to YouTube")
	}
	if a := app.page(t, "/channels/UCq0imsn84ShAe9PBOFnoIrg", http.StatusOK).Find(".lede a").First(); attr(a, "href") != "https://www.youtube.com/channel/UCq0imsn84ShAe9PBOFnoIrg" {
		t.Errorf("channel's YouTube link %q", attr(a, "href"))
	}
	if sel := doc.Find(`select[name="channel"] option[selected]`); attr(sel, "value") != "UCstructuresWeekly01" {
		t.Errorf("filter shows %q", attr(sel, "value"))
	}
	doc = app.page(t, "/channels", http.StatusOK)
	var names []string
	doc.Find("ul.channels li a").Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()+" "+attr(s, "href")) })
	if strings.Join(names, "|") != "Engines of History /channels/UCq0imsn84ShAe9PBOFnoIrg|Signal Path /channels/UC4sIgnalPathPodcast00|Structures Weekly /channels/UCstructuresWeekly01" {
		t.Errorf("channels %q", names)
	}
	app.page(t, "/channels/nobody", http.StatusNotFound)
	if _, body := app.fetch(t, "/sitemap.xml", http.StatusOK, "application/xml"); !strings.Contains(string(body), "/channels/UC4sIgnalPathPodcast00</loc>\n    <lastmod>2024-02-19</lastmod>") {
		t.Errorf("sitemap lacks the channel dated by its latest video:\n%s", body)
	}

	// JSON twins.
	_, body := app.fetch(t, "/channels/UC4sIgnalPathPodcast00.json", http.StatusOK, "application/json")
	var list struct {
		Channel struct{ Name, Latest string } `json:"channel"`
		Sort    string                        `json:"sort"`
		Videos  []map[string]any              `json:"videos"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if list.Channel.Name != "Signal Path" || list.Channel.Latest != "2024-02-19" || list.Sort != "newest" || len(list.Videos) != 1 ||
		list.Videos[0]["published"] != "2024-02-19" || list.Videos[0]["channel"] != "Signal Path" || list.Videos[0]["language"] != "en" {
		t.Errorf("channel JSON %s", body)
	}
}

func TestVideoPageSaysWhoAndWhen(t *testing.T) {
	app := newMetadataApp(t)
	doc := app.page(t, "/videos/Xk3fQ9bT2mA", http.StatusOK)
	if a := doc.Find(".video-head .byline a"); a.Text() != "Engines of History" || attr(a, "href") != "/channels/UCq0imsn84ShAe9PBOFnoIrg" {
		t.Errorf("channel %q → %q", a.Text(), attr(a, "href"))
	}
	if tm := doc.Find(".video-head .byline time"); attr(tm, "datetime") != "2023-11-07" || tm.Text() != "7 Nov 2023" {
		t.Errorf("date %q", tm.Text())
	}
	if meta := doc.Find(".video-head .meta").Text(); meta != "2:11 · 4 transcript lines" {
		t.Errorf("meta %q (the reported length)", meta)
	}
	if d := doc.Find("details.description"); d.Length() != 1 || d.AttrOr("open", "closed") != "closed" ||
		!strings.HasPrefix(d.Find(".description-text").Text(), "Ada Lovelace and Charles Babbage") || d.Find(".tags li").Length() != 4 {
		t.Errorf("description %q", d.Text())
	}
	var chapters []string
	doc.Find("nav.chapters li a").Each(func(_ int, s *goquery.Selection) { chapters = append(chapters, attr(s, "href")+" "+s.Text()) })
	if strings.Join(chapters, "|") != "#chapter-0 0:00 Introduction|#chapter-42 0:42 The mill and the store" {
		t.Errorf("chapter list %q", chapters)
	}
	for _, ch := range []struct{ id, line string }{{"chapter-0", "t0"}, {"chapter-42", "t42"}} {
		h := doc.Find("ol.transcript li#" + ch.line + " h3#" + ch.id)
		if h.Length() != 1 {
			t.Errorf("no heading %s in line %s", ch.id, ch.line)
		}
	}
	// Each turn names its speaker in text.
	var turns []string
	doc.Find("ol.transcript > li").Each(func(_ int, li *goquery.Selection) {
		turns = append(turns, li.AttrOr("id", "")+"="+li.Find("p.speaker").Text())
	})
	if strings.Join(turns, " ") != "t0=Narrator t21=Ada Lovelace t42=Charles Babbage t85=Narrator" {
		t.Errorf("turns %v", turns)
	}
	// JSON-LD: uploadDate, author, the chapters as clips.
	var ld struct {
		UploadDate string `json:"uploadDate"`
		Author     struct{ Name, URL string }
		HasPart    []struct {
			Name                   string
			StartOffset, EndOffset int
		} `json:"hasPart"`
	}
	if err := json.Unmarshal([]byte(doc.Find(`script[type="application/ld+json"]`).Text()), &ld); err != nil {
		t.Fatal(err)
	}
	if ld.UploadDate != "2023-11-07" || ld.Author.Name != "Engines of History" || ld.Author.URL != "https://www.youtube.com/channel/UCq0imsn84ShAe9PBOFnoIrg" ||
		len(ld.HasPart) != 2 || ld.HasPart[1].Name != "The mill and the store" || ld.HasPart[1].StartOffset != 42 || ld.HasPart[1].EndOffset != 131 {
		t.Errorf("JSON-LD %+v", ld)
	}
	// The JSON twin adds fields.
	_, body := app.fetch(t, "/videos/Xk3fQ9bT2mA.json", http.StatusOK, "application/json")
	var tr struct {
		Video    map[string]any   `json:"video"`
		Chapters []map[string]any `json:"chapters"`
		Segments []map[string]any `json:"segments"`
	}
	if err := json.Unmarshal(body, &tr); err != nil {
		t.Fatal(err)
	}
	if tr.Video["channel_id"] != "UCq0imsn84ShAe9PBOFnoIrg" || tr.Video["published"] != "2023-11-07" || tr.Video["duration_seconds"] != 131.0 ||
		len(tr.Chapters) != 2 || tr.Chapters[1]["title"] != "The mill and the store" || tr.Segments[1]["speaker"] != "Ada Lovelace" {
		t.Errorf("JSON %s", body)
	}
}

func TestExportsCarrySpeakersAndChapters(t *testing.T) {
	app := newMetadataApp(t)
	get := func(target string) string {
		t.Helper()
		resp := app.get(t, target)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	for _, tt := range []struct{ ext, want string }{
		{".vtt", "t21\n00:00:21.000 --> 00:00:42.000\n<v Ada Lovelace>The Analytical Engine weaves"},
		{".srt", "2\n00:00:21,000 --> 00:00:42,000\nADA LOVELACE: The Analytical Engine weaves"},
		{".txt", "\nThe mill and the store [0:42]\n\n[0:42] Charles Babbage: The engine consists"},
		{".md", "## The mill and the store\n\n[0:42](https://www.youtube.com/watch?v=Xk3fQ9bT2mA&t=42s) **Charles Babbage:** The engine consists"},
	} {
		if body := get("/videos/Xk3fQ9bT2mA" + tt.ext); !strings.Contains(body, tt.want) {
			t.Errorf("%s lacks %q:\n%s", tt.ext, tt.want, body)
		}
	}
	// What the site exports, the importer reads back with its speakers.
	recs := 0
	for r, err := range ingest.Merge(ingest.Subtitles(strings.NewReader(get("/videos/Xk3fQ9bT2mA.vtt")), "x.vtt", "Xk3fQ9bT2mA", "")) {
		if err != nil {
			t.Fatal(err)
		}
		if recs == 1 && r.Speaker != "Ada Lovelace" {
			t.Errorf("read back %+v", r)
		}
		recs++
	}
}

// attr is an attribute of the first element of s, or "".
func attr(s *goquery.Selection, name string) string { return s.AttrOr(name, "") }
