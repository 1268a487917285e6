package catalog_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/transcripts/site/data"
	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/search"
)

// TestPreparedStatementsAreReused runs every kind of search twice with
// different words, pages and numbers of filtered videos: the second round
// prepares nothing new, so statement texts do not depend on arguments.
func TestPreparedStatementsAreReused(t *testing.T) {
	c, _ := openTemp(t)
	if _, err := c.Import(context.Background(), ingest.JSONLines(bytes.NewReader(data.Sample), "sample.jsonl"), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	x := catalog.NewIndex(c)
	e := search.New(x, 10*time.Second)
	ctx := context.Background()
	videos := []string{"MpdbFLXOOIw", "1L83tM8nwHU", "5cySIwg49RI", "mPFq5KMxKVw"}
	round := func(words []string, filtered []string, page int) {
		t.Helper()
		for _, w := range words {
			for _, r := range []search.Request{
				{Query: w, Page: page},
				{Query: w, Page: page, Group: search.GroupNone},
				{Query: w, Page: 1, Sort: search.Time},
				{Query: w, Page: 1, Sort: search.Newest},
				{Query: w, Page: 1, Videos: filtered},
			} {
				if _, err := e.Search(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := e.InVideo(ctx, videos[0], w); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Search(ctx, search.Request{Query: w + "x", Page: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}
	round([]string{"the", "augmentation", "learning"}, videos[:1], 1)
	n := x.PreparedStatements()
	round([]string{"data", "model", "mixup", "kaggle"}, videos[:3], 2)
	if got := x.PreparedStatements(); got != n || n == 0 {
		t.Errorf("%d statements prepared after the first round, %d after the second", n, got)
	}
}

// TestMoreVideosCountsEachVideoOnce: a video imported in parts has
// several runs of ids; it is one of the videos MoreVideos finds, and the
// videos past it are still found.
func TestMoreVideosCountsEachVideoOnce(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	const vidX, vidY, vidZ = "xxxxxxxxxx1", "yyyyyyyyyy1", "zzzzzzzzzz1"
	for _, recs := range [][]catalog.Record{
		{seg(vidY, 0, 10, "a wombat in the oldest video"), seg(vidY, 10, 20, "and nothing else")},
		{seg(vidX, 0, 10, "a wombat in the first part"), seg(vidX, 10, 20, "of the other video")},
		{seg(vidZ, 0, 10, "no such animal here"), seg(vidZ, 10, 20, "at all")},
		{seg(vidX, 20, 30, "a wombat in the second part"), seg(vidX, 30, 40, "of the other video")},
	} {
		if _, err := c.Import(ctx, records(recs...), catalog.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	x := catalog.NewIndex(c)
	q, err := search.Parse("wombat")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f     search.Filter
		skip  map[string]bool
		limit int
		want  []string
	}{
		{search.Filter{}, nil, 2, []string{vidX, vidY}},
		{search.Filter{}, nil, 5, []string{vidX, vidY}},
		{search.Filter{}, nil, 1, []string{vidX}},
		{search.Filter{}, map[string]bool{vidX: true}, 2, []string{vidY}},
		{search.Filter{Videos: []string{vidY, vidZ}}, nil, 2, []string{vidY}},
	} {
		got, err := x.MoreVideos(ctx, q, tc.f, 1_000, tc.skip, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("MoreVideos(%+v, skip %v, limit %d) = %v, want %v", tc.f, tc.skip, tc.limit, got, tc.want)
		}
	}
	// Below the second part's ids, X is found by its first part.
	if got, err := x.MoreVideos(ctx, q, search.Filter{}, 7, nil, 2); err != nil || !slices.Equal(got, []string{vidX, vidY}) {
		t.Errorf("below id 7: %v, %v", got, err)
	}
}

// TestMatchesByChannelAndDay: a filter by channel or publication day is
// read as the videos it allows, alone or with a video filter, and one no
// video passes finds nothing.
func TestMatchesByChannelAndDay(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	info := func(channel, day string) *catalog.VideoInfo {
		return &catalog.VideoInfo{Channel: channel, Published: day}
	}
	var recs []catalog.Record
	for i, v := range []struct {
		id, channel, day string
	}{
		{"aaaaaaaaaa1", "Alpha", "2020-05-01"},
		{"bbbbbbbbbb1", "Beta", "2021-05-01"},
		{"aaaaaaaaaa2", "Alpha", "2022-05-01"},
	} {
		for s := range 3 {
			r := seg(v.id, s*10, s*10+10, fmt.Sprintf("the wombat said line %d of video %d", s, i))
			r.Info = info(v.channel, v.day)
			recs = append(recs, r)
		}
	}
	if _, err := c.Import(ctx, records(recs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	alpha, err := c.Video(ctx, "aaaaaaaaaa1")
	if err != nil {
		t.Fatal(err)
	}
	x := catalog.NewIndex(c)
	q, err := search.Parse("wombat")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    search.Filter
		want []string // the videos of the matches
	}{
		{search.Filter{Channel: alpha.ChannelID}, []string{"aaaaaaaaaa1", "aaaaaaaaaa2"}},
		{search.Filter{After: "2021-01-01"}, []string{"aaaaaaaaaa2", "bbbbbbbbbb1"}},
		{search.Filter{Channel: alpha.ChannelID, Before: "2021-01-01"}, []string{"aaaaaaaaaa1"}},
		{search.Filter{Channel: alpha.ChannelID, Videos: []string{"aaaaaaaaaa2", "bbbbbbbbbb1"}}, []string{"aaaaaaaaaa2"}},
		{search.Filter{After: "2999-01-01"}, nil},
	} {
		ps, err := x.Matches(ctx, q, tc.f, 100)
		if err != nil {
			t.Fatal(err)
		}
		scored, err := x.Score(ctx, q, tc.f, 0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, p := range ps {
			seen[p.Video]++
		}
		var got []string
		for v, n := range seen {
			if n != 3 {
				t.Errorf("%+v: %d matches of %s, want 3", tc.f, n, v)
			}
			got = append(got, v)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) || len(scored) != len(ps) {
			t.Errorf("%+v: matches in %v (%d scored of %d), want %v", tc.f, got, len(scored), len(ps), tc.want)
		}
		// Scoring from an id on: each run read from there, not before.
		for _, from := range []int64{2, 5, 8} {
			scored, err := x.Score(ctx, q, tc.f, from)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for _, p := range ps {
				if p.Segment >= from {
					want++
				}
			}
			for _, sc := range scored {
				if sc.Segment < from {
					t.Errorf("%+v from %d: segment %d scored", tc.f, from, sc.Segment)
				}
			}
			if len(scored) != want {
				t.Errorf("%+v from %d: %d scored, want %d", tc.f, from, len(scored), want)
			}
		}
	}
}

// TestMatchesBySpeaker: a filter by a speaker of many lines (tested on the
// matches) and of a few (each line looked up) finds the same as asking
// the segments table.
func TestMatchesBySpeaker(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	var recs []catalog.Record
	for i := range 2_600 {
		r := seg(fmt.Sprintf("spk%08d", i/200), (i%200)*10, (i%200)*10+10, fmt.Sprintf("line %d", i))
		switch {
		case i%100 == 0:
			r.Speaker = "Rare Guest"
		case i%2 == 0:
			r.Speaker = "Host"
		default:
			r.Speaker = "Cohost"
		}
		if i%3 == 0 {
			r.Text += " the wombat"
		}
		recs = append(recs, r)
	}
	if _, err := c.Import(ctx, records(recs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	x := catalog.NewIndex(c)
	q, err := search.Parse("wombat")
	if err != nil {
		t.Fatal(err)
	}
	for _, speaker := range []string{"Host", "Rare Guest"} {
		var want int
		if err := c.DB().QueryRow(`SELECT count(*) FROM segments WHERE speaker = ? AND text LIKE '%wombat%'`, speaker).Scan(&want); err != nil {
			t.Fatal(err)
		}
		ps, err := x.Matches(ctx, q, search.Filter{Speaker: speaker}, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		scored, err := x.Score(ctx, q, search.Filter{Speaker: speaker}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if want == 0 || len(ps) != want || len(scored) != want {
			t.Errorf("%s: %d matches, %d scored, %d said", speaker, len(ps), len(scored), want)
		}
	}
}
