package search_test

import (
	"testing"

	"github.com/transcripts/site/internal/search"
)

// TestGroupedPagesReachEveryVideo: a grouped search lists every video
// with a match across its pages, once, each with its number of matching
// segments.
func TestGroupedPagesReachEveryVideo(t *testing.T) {
	e, st := newEngine(t, generated())
	want := map[string]int{}
	rows, err := st.raw.Query(`SELECT s.video_id, count(*) FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
		WHERE segments_fts MATCH 'the' GROUP BY s.video_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		want[v] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	first := find(t, e, search.Request{Query: "the", Group: search.GroupVideos})
	if len(want) <= search.GroupsPerPage || first.Pages() < 2 {
		t.Fatalf("%d videos on %d pages: need more than a page", len(want), first.Pages())
	}
	got := map[string]int{}
	for p := 1; p <= first.Pages(); p++ {
		for _, g := range find(t, e, search.Request{Query: "the", Group: search.GroupVideos, Page: p}).Groups {
			if _, twice := got[g.VideoID]; twice {
				t.Errorf("video %s on two pages", g.VideoID)
			}
			got[g.VideoID] = g.Count
		}
	}
	if len(got) != len(want) || first.Videos != len(want) {
		t.Errorf("%d videos listed, %d said, %d have a match", len(got), first.Videos, len(want))
	}
	for v, n := range want {
		if got[v] != n {
			t.Errorf("video %s: count %d, %d matching segments", v, got[v], n)
		}
	}
}
