package catalog_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
)

// described is what a yt-dlp .info.json says about vidA.
func described() catalog.Record {
	return catalog.Record{
		VideoID: vidA, InfoOnly: true, Title: "“Supervised” Contrastive Learning",
		Thumbnail: "https://i.ytimg.com/vi/" + vidA + "/maxresdefault.jpg",
		Info: &catalog.VideoInfo{
			ChannelID: "UCZHmQk67mSJgfCCTn7xBfew", Channel: "Yannic Kilcher", Published: "20200424",
			Description: "A paper review.\r\n\r\n\r\nChapters below.\x07", Tags: []string{"ml", " ML ", "", "contrastive"},
			Language: "en", Duration: 1803,
			Chapters: []catalog.Chapter{{Start: 120, Title: "Method"}, {Start: 0, Title: " Intro "}, {Start: 120, Title: "Duplicate"}},
		},
	}
}

func TestImportStoresWhoSaidItAndWhen(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	a, b := seg(vidA, 0, 30, "so what is contrastive learning"), seg(vidA, 30, 55, "it pulls views together")
	a.Speaker, b.Speaker = "Yannic", " Ada\tLovelace "
	stats, err := c.Import(ctx, records(described(), a, b), catalog.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Segments != 2 || stats.Videos != 1 || stats.VideosAdded != 1 {
		t.Errorf("stats %+v", stats)
	}
	v, err := c.Video(ctx, vidA)
	if err != nil {
		t.Fatal(err)
	}
	want := catalog.Video{
		ID: vidA, Title: "“Supervised” Contrastive Learning", Thumbnail: "https://i.ytimg.com/vi/" + vidA + "/maxresdefault.jpg",
		Duration: 1803, Segments: 2, ImportedAt: v.ImportedAt,
		ChannelID: "UCZHmQk67mSJgfCCTn7xBfew", Channel: "Yannic Kilcher", Published: time.Date(2020, 4, 24, 0, 0, 0, 0, time.UTC),
		Description: "A paper review.\n\nChapters below.", Tags: []string{"ml", "contrastive"}, Language: "en",
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("video\n%+v\nwant\n%+v", v, want)
	}
	chs, err := c.Chapters(ctx, vidA)
	if err != nil || !reflect.DeepEqual(chs, []catalog.Chapter{{0, "Intro"}, {120, "Method"}}) {
		t.Errorf("chapters %+v, %v", chs, err)
	}
	segs, err := c.Transcript(ctx, vidA)
	if err != nil || len(segs) != 2 || segs[0].Speaker != "Yannic" || segs[1].Speaker != "Ada Lovelace" {
		t.Errorf("segments %+v, %v", segs, err)
	}
	speakers, err := c.Speakers(ctx, vidA)
	if err != nil || !reflect.DeepEqual(speakers, []catalog.Speaker{{"Ada Lovelace", 1}, {"Yannic", 1}}) {
		t.Errorf("speakers %+v, %v", speakers, err)
	}
}

func TestImportKeepsKnownMetadata(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	if _, err := c.Import(ctx, records(described(), seg(vidA, 0, 10, "one")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before, _ := c.Video(ctx, vidA)
	// Segments without metadata keep what is known; a transcript that
	// stops early does not shorten the reported length.
	stats, err := c.Import(ctx, records(catalog.Record{VideoID: vidA, Start: 10, End: 20, Text: "two"}), catalog.ImportOptions{})
	if err != nil || stats.VideosUpdated != 1 {
		t.Fatalf("%+v, %v", stats, err)
	}
	after, _ := c.Video(ctx, vidA)
	if after.Channel != before.Channel || !after.Published.Equal(before.Published) || after.Duration != 1803 || len(after.Tags) != 2 || after.Segments != 2 {
		t.Errorf("after a plain import %+v", after)
	}
	if chs, _ := c.Chapters(ctx, vidA); len(chs) != 2 {
		t.Errorf("chapters %+v", chs)
	}
}

// Issue 11, item 6: a re-import reports what it changed, not every video
// it read as updated.
func TestReimportReportsUnchangedVideos(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	rs := []catalog.Record{described(), seg(vidA, 0, 10, "one"), seg(vidA, 10, 20, "two"), seg(vidB, 0, 5, "b")}
	if _, err := c.Import(ctx, records(rs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	version, _ := c.Version(ctx)
	stats, err := c.Import(ctx, records(rs...), catalog.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Videos != 2 || stats.VideosAdded != 0 || stats.VideosUpdated != 0 || stats.VideosUnchanged != 2 || stats.Unchanged != 3 {
		t.Errorf("unchanged re-import: %+v", stats)
	}
	if v, _ := c.Version(ctx); v.N != version.N {
		t.Errorf("an unchanged re-import moved the catalog version %d → %d", version.N, v.N)
	}

	// Changed metadata alone (a new chapter title) updates the video.
	d := described()
	info := *d.Info
	info.Chapters = []catalog.Chapter{{0, "Intro"}, {120, "The method"}}
	d.Info = &info
	stats, err = c.Import(ctx, records(d), catalog.ImportOptions{})
	if err != nil || stats.VideosUpdated != 1 || stats.VideosUnchanged != 0 || stats.Segments != 0 {
		t.Errorf("changed chapters: %+v, %v", stats, err)
	}
	if v, _ := c.Version(ctx); v.N == version.N {
		t.Error("changed chapters did not move the catalog version")
	}
	// So does a new speaker of a segment.
	s := seg(vidB, 0, 5, "b")
	s.Speaker = "Bob"
	if stats, err = c.Import(ctx, records(s), catalog.ImportOptions{}); err != nil || stats.VideosUpdated != 1 || stats.Updated != 1 {
		t.Errorf("changed speaker: %+v, %v", stats, err)
	}
}

func TestDescribedVideoWithoutTranscriptIsNotAdded(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	stats, err := c.Import(ctx, records(described()), catalog.ImportOptions{})
	if err != nil || stats.InfoSkipped != 1 || stats.Videos != 0 {
		t.Errorf("%+v, %v", stats, err)
	}
	if tot, _ := c.Totals(ctx); tot.Videos != 0 {
		t.Errorf("%d videos", tot.Videos)
	}
}

func TestFindVideosSortsAndFilters(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	video := func(id, title, channel, published string, end int) catalog.Record {
		return catalog.Record{VideoID: id, Title: title, Text: "x", End: end, Info: &catalog.VideoInfo{Channel: channel, Published: published}}
	}
	if _, err := c.Import(ctx, records(
		video("aaaaaaaaaaa", `"Quoted" zebra`, "The Changelog", "2023-05-01", 100),
		video("bbbbbbbbbbb", "apple", "The Changelog", "2024-01-10", 50),
		video("ccccccccccc", "Mango", "", "", 300),
		video("ddddddddddd", "", "Other Show", "2022-12-31", 10),
		video("eeeeeeeeeee", "banana", "", "", 20),
	), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	ids := func(q catalog.VideoQuery) string {
		t.Helper()
		q.Limit = 10
		vs, err := c.FindVideos(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range vs {
			out = append(out, v.ID[:1])
		}
		return strings.Join(out, "")
	}
	for _, tt := range []struct {
		q    catalog.VideoQuery
		want string
	}{
		{catalog.VideoQuery{}, "badec"}, // newest; undated by title after
		{catalog.VideoQuery{Sort: catalog.SortNewest}, "badec"},
		{catalog.VideoQuery{Sort: catalog.SortOldest}, "dabec"},
		{catalog.VideoQuery{Sort: catalog.SortTitle}, "bec" + "a" + "d"}, // apple, banana, Mango, "Quoted" zebra, untitled
		{catalog.VideoQuery{Sort: catalog.SortLength}, "cabed"},
		{catalog.VideoQuery{ChannelID: "the-changelog"}, "ba"},
		{catalog.VideoQuery{ChannelID: "nobody"}, ""},
	} {
		if got := ids(tt.q); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.q, got, tt.want)
		}
	}
	if _, err := c.FindVideos(ctx, catalog.VideoQuery{Sort: "random"}); err == nil {
		t.Error("an unknown order was accepted")
	}
	chs, err := c.Channels(ctx)
	want := []catalog.Channel{
		{ID: "other-show", Name: "Other Show", Videos: 1, Latest: time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)},
		{ID: "the-changelog", Name: "The Changelog", Videos: 2, Latest: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)},
	}
	if err != nil || !reflect.DeepEqual(chs, want) {
		t.Errorf("channels %+v, %v", chs, err)
	}
	if ch, err := c.Channel(ctx, "the-changelog"); err != nil || ch != want[1] {
		t.Errorf("channel %+v, %v", ch, err)
	}
	if _, err := c.Channel(ctx, "nobody"); err == nil {
		t.Error("an unknown channel was found")
	}
	if tot, err := c.CountVideos(ctx, "the-changelog"); err != nil || tot.Videos != 2 || tot.Segments != 2 {
		t.Errorf("count %+v, %v", tot, err)
	}
}

func TestDeleteRemovesChapters(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	if _, err := c.Import(ctx, records(described(), seg(vidA, 0, 10, "one")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Delete(ctx, []string{vidA}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := c.DB().QueryRow(`SELECT count(*) FROM chapters`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d chapters left, %v", n, err)
	}
}
