package search_test

import (
	"testing"
	"time"

	"github.com/transcripts/site/internal/search"
)

// TestGroupedPagesReachEveryVideo: a grouped search lists every video
// with a match across its pages, once, each with its number of matching
// segments: also when the walk stops counting at CountCap (here made
// small), the older videos found as the pages reach them, for a word, a
// prefix (which the index cannot rank by its best) and a search by
// speaker.
func TestGroupedPagesReachEveryVideo(t *testing.T) {
	e, st := newEngine(t, generated())
	// Every third line is Ada's.
	if _, err := st.raw.Exec(`UPDATE segments SET speaker = 'Ada' WHERE id % 3 = 0;
		UPDATE catalog_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	capped := search.NewWithCaps(st.index, time.Minute, 100, 40)
	for _, c := range []struct {
		name    string
		e       *search.Engine
		query   string
		speaker string
		capped  bool
	}{
		{"every match counted", e, "the", "", false},
		{"capped, a word", capped, "the", "", true},
		{"capped, a prefix", capped, "the*", "", true},
		{"capped, a speaker", capped, "the", "Ada", true},
		{"capped, a prefix and a speaker", capped, "the*", "Ada", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := videoCounts(t, st.raw, `SELECT s.video_id, count(*) FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
				WHERE segments_fts MATCH ?1 AND (?2 = '' OR s.speaker = ?2) GROUP BY s.video_id`, c.query, c.speaker)
			first := find(t, c.e, search.Request{Query: c.query, Narrow: search.Filter{Speaker: c.speaker}, Group: search.GroupVideos})
			if len(want) <= 2*search.GroupsPerPage || first.Pages() < 2 || first.Capped != c.capped {
				t.Fatalf("%d videos on %d pages, capped %v: the case needs more than two pages", len(want), first.Pages(), first.Capped)
			}
			if c.capped && (!first.VideosMore || first.Videos >= len(want)) {
				t.Errorf("first page: %d videos, more %v; the walk cannot have met all %d", first.Videos, first.VideosMore, len(want))
			}
			groups, last := allGroups(t, c.e, search.Request{Query: c.query, Narrow: search.Filter{Speaker: c.speaker}, Group: search.GroupVideos})
			got := counts(groups)
			if len(got) != len(want) || last.Videos != len(want) || last.VideosMore {
				t.Errorf("%d videos listed, the last page says %d (more: %v), %d have a match", len(got), last.Videos, last.VideosMore, len(want))
			}
			if !c.capped && first.Videos != len(want) {
				t.Errorf("the first page says %d videos, %d have a match", first.Videos, len(want))
			}
			for v, n := range want {
				if got[v] != n {
					t.Errorf("video %s: count %d, %d matching segments", v, got[v], n)
				}
			}
		})
	}
}

// allGroups pages through a grouped search from page 1 to its last,
// returning every group in order and the last page, and failing the test
// when a video is on two pages.
func allGroups(t *testing.T, e *search.Engine, r search.Request) ([]search.Group, search.Results) {
	t.Helper()
	var groups []search.Group
	seen := map[string]bool{}
	for p := 1; ; p++ {
		r.Page = p
		res := find(t, e, r)
		for _, g := range res.Groups {
			if seen[g.VideoID] {
				t.Fatalf("%+v: video %s on two pages", r, g.VideoID)
			}
			seen[g.VideoID] = true
			groups = append(groups, g)
		}
		if p >= res.Pages() {
			return groups, res
		}
	}
}

// counts maps each group's video to its count.
func counts(groups []search.Group) map[string]int {
	out := make(map[string]int, len(groups))
	for _, g := range groups {
		out[g.VideoID] = g.Count
	}
	return out
}

// TestVideoFilterFindsEveryLine: a search within videos finds their lines
// by prefix as by word, and the lines another tool wrote since the last
// import (in no run of ids yet) too.
func TestVideoFilterFindsEveryLine(t *testing.T) {
	e, st := newEngine(t, generated())
	const video = "gen00000012"
	if _, err := st.raw.Exec(`INSERT INTO segments (video_id, start_second, end_second, text) VALUES (?, 9000, 9010, 'a wombat written by another tool')`, video); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"gradient", "gradi*", "wombat", "wom*"} {
		var want int
		if err := st.raw.QueryRow(`SELECT count(*) FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
			WHERE segments_fts MATCH ? AND s.video_id = ?`, q, video).Scan(&want); err != nil {
			t.Fatal(err)
		}
		res := find(t, e, search.Request{Query: q, Videos: []string{video}, Group: search.GroupNone})
		if want == 0 || res.Total != want || len(res.Hits) != want {
			t.Errorf("%s in %s: %d found, %d listed, %d there", q, video, res.Total, len(res.Hits), want)
		}
		for _, h := range res.Hits {
			if h.VideoID != video {
				t.Errorf("%s: a hit of %s", q, h.VideoID)
			}
		}
	}
}
