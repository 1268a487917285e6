package search_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
)

// TestGroupedPagesAcrossRunsAndFilters: past the count cap, grouped pages
// list every video once with every match counted, against plain SQL, for
// videos imported in parts (two runs), lines another tool wrote above the
// runs (a few of one video, or more than the walk holds, of several), a
// prefix, and filters by channel, videos and speaker.
func TestGroupedPagesAcrossRunsAndFilters(t *testing.T) {
	for _, above := range []struct{ lines, videos int }{{5, 1}, {150, 7}} {
		t.Run(fmt.Sprintf("%d lines above the runs", above.lines), func(t *testing.T) {
			groupedAcrossRuns(t, above.lines, above.videos)
		})
	}
}

func groupedAcrossRuns(t *testing.T, lines, videos int) {
	c, st := newStore(t)
	recs := generated()
	imp := func(rs []catalog.Record) { importRecords(t, c, rs) }
	imp(recs[:20*60])
	imp(recs[20*60:])
	// Video 3 imported again in part: new lines, a second run at the top.
	var more []catalog.Record
	for i := range 30 {
		r := recs[3*60]
		r.Start, r.End, r.Text = 5000+i*30, 5000+i*30+30, "the later part "+r.Text
		more = append(more, r)
	}
	imp(more)
	// Another tool writes lines above the runs, of an old video.
	for i := range lines {
		if _, err := st.raw.Exec(`INSERT INTO segments (video_id, start_second, end_second, text) VALUES (?, ?, ?, 'the wombat by another tool')`, fmt.Sprintf("gen%08d", 8+i%videos), 9000+i*10, 9005+i*10); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.raw.Exec(`UPDATE videos SET channel_id = 'UCeven' WHERE CAST(substr(video_id, 4) AS INTEGER) % 2 = 0;
		UPDATE segments SET speaker = 'Ada' WHERE id % 3 = 0;
		UPDATE catalog_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	capped := search.NewWithCaps(st.index, time.Minute, 100, 40)
	var vids []string
	for v := range 40 {
		if v%3 == 0 || v == 8 {
			vids = append(vids, fmt.Sprintf("gen%08d", v))
		}
	}
	for _, c := range []struct {
		query string
		f     search.Filter
		where string
	}{
		{"the", search.Filter{}, ""},
		{"the*", search.Filter{}, ""},
		{"the*", search.Filter{Channel: "UCeven"}, "s.video_id IN (SELECT video_id FROM videos WHERE channel_id = 'UCeven')"},
		{"the", search.Filter{Channel: "UCeven"}, "s.video_id IN (SELECT video_id FROM videos WHERE channel_id = 'UCeven')"},
		{"the*", search.Filter{Videos: vids}, "s.video_id IN ('" + strings.Join(vids, "','") + "')"},
		{"the", search.Filter{Videos: vids, Speaker: "Ada"}, "s.video_id IN ('" + strings.Join(vids, "','") + "') AND s.speaker = 'Ada'"},
		{"the*", search.Filter{Speaker: "Ada"}, "s.speaker = 'Ada'"},
	} {
		name := fmt.Sprintf("%s %+v", c.query, c.f)
		where := ""
		if c.where != "" {
			where = " AND " + c.where
		}
		want := videoCounts(t, st.raw, `SELECT s.video_id, count(*) FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
			WHERE segments_fts MATCH ?`+where+` GROUP BY s.video_id`, c.query)
		groups, res := allGroups(t, capped, search.Request{Query: c.query, Narrow: search.Filter{Channel: c.f.Channel, Speaker: c.f.Speaker}, Videos: c.f.Videos, Group: search.GroupVideos})
		got := counts(groups)
		if !res.Capped {
			t.Errorf("%s: not capped", name)
		}
		if len(got) != len(want) || res.VideosMore {
			t.Errorf("%s: %d listed (more %v), %d match", name, len(got), res.VideosMore, len(want))
		}
		for v, k := range want {
			if got[v] != k {
				t.Errorf("%s: %s count %d, want %d", name, v, got[v], k)
			}
		}
		for v := range got {
			if want[v] == 0 {
				t.Errorf("%s: %s listed without a match", name, v)
			}
		}
	}
}

// TestGroupedPagesReachLinesInNoRun: lines another tool wrote before a
// later import sit below the runs, in none; a grouped page past the cap
// still reaches their videos.
func TestGroupedPagesReachLinesInNoRun(t *testing.T) {
	c, st := newStore(t)
	recs := generated()
	imp := func(rs []catalog.Record) { importRecords(t, c, rs) }
	imp(recs[:20*60])
	// Another tool writes a line of an old video; then the next import.
	if _, err := st.raw.Exec(`INSERT INTO segments (video_id, start_second, end_second, text, speaker) VALUES ('gen00000005', 9000, 9010, 'the wombat, written by another tool', 'Zed')`); err != nil {
		t.Fatal(err)
	}
	imp(recs[20*60:])
	// Zed says every third line of the newer videos too.
	if _, err := st.raw.Exec(`UPDATE segments SET speaker = 'Zed' WHERE id % 3 = 0 AND video_id >= 'gen00000020';
		UPDATE catalog_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	capped := search.NewWithCaps(st.index, time.Minute, 100, 40)
	for _, query := range []string{"the", "the*"} {
		groups, _ := allGroups(t, capped, search.Request{Query: query, Narrow: search.Filter{Speaker: "Zed"}, Group: search.GroupVideos})
		got := counts(groups)
		if got["gen00000005"] != 1 {
			t.Errorf("%s by Zed: gen00000005 listed with %d (of 1), %d videos listed", query, got["gen00000005"], len(got))
		}
	}
}

// TestGroupedBrowsePastTheCap: a browse by speaker alone, past the count
// cap, lists every video with a line of theirs across its pages, each
// with its number of such lines.
func TestGroupedBrowsePastTheCap(t *testing.T) {
	_, st := newEngine(t, generated())
	if _, err := st.raw.Exec(`UPDATE segments SET speaker = 'Ada' WHERE id % 3 = 0;
		UPDATE catalog_version SET version = version + 1`); err != nil {
		t.Fatal(err)
	}
	want := videoCounts(t, st.raw, `SELECT video_id, count(*) FROM segments WHERE speaker = 'Ada' GROUP BY video_id`)
	capped := search.NewWithCaps(st.index, time.Minute, 100, 40)
	for _, g := range []search.Grouping{search.GroupAuto, search.GroupVideos} {
		groups, res := allGroups(t, capped, search.Request{Narrow: search.Filter{Speaker: "Ada"}, Group: g})
		if !res.Capped || !res.Grouped || res.Partial {
			t.Fatalf("group %v: capped %v, grouped %v, partial %v", g, res.Capped, res.Grouped, res.Partial)
		}
		got := counts(groups)
		if len(got) != len(want) || res.VideosMore {
			t.Errorf("group %v: %d videos listed (more %v), %d have a line of Ada's", g, len(got), res.VideosMore, len(want))
		}
		for v, n := range want {
			if got[v] != n {
				t.Errorf("group %v: %s counts %d, has %d lines of Ada's", g, v, got[v], n)
			}
		}
	}
}

// TestSortedGroupedPagesReachEveryVideo: grouped pages sorted by
// publication, import or time list every video with a match, once, in the
// sort's order, though the matches are more than the best RankCap a list
// of hits ranks (here 1,200 videos saying the word once each).
func TestSortedGroupedPagesReachEveryVideo(t *testing.T) {
	const videos = search.RankCap + 200
	var recs []catalog.Record
	for v := range videos {
		id := fmt.Sprintf("srt%08d", v)
		day := fmt.Sprintf("20%02d-%02d-%02d", 10+v%15, 1+v%12, 1+v%28)
		recs = append(recs,
			catalog.Record{VideoID: id, Title: "Talk " + id, Start: 0, End: 30, Text: "an aardvark walks into the room", Info: &catalog.VideoInfo{Published: day}},
			catalog.Record{VideoID: id, Title: "Talk " + id, Start: 30, End: 60, Text: "and leaves again"})
	}
	e, _ := newEngine(t, recs)
	for _, sort := range []search.Sort{search.Newest, search.Oldest, search.Imported, search.Time} {
		groups, res := allGroups(t, e, search.Request{Query: "aardvark", Sort: sort, Group: search.GroupVideos})
		var order []string
		for _, g := range groups {
			if g.Count != 1 || len(g.Hits) != 1 {
				t.Fatalf("sort %v: %s counts %d with %d hits", sort, g.VideoID, g.Count, len(g.Hits))
			}
			order = append(order, g.VideoID)
		}
		if len(order) != videos || res.Videos != videos || res.Partial {
			t.Errorf("sort %v: %d videos listed, the page says %d (partial %v); %d match", sort, len(order), res.Videos, res.Partial, videos)
		}
		published := func(id string) string {
			var v int
			fmt.Sscanf(id, "srt%08d", &v)
			return fmt.Sprintf("20%02d-%02d-%02d", 10+v%15, 1+v%12, 1+v%28)
		}
		for i := 1; i < len(order); i++ {
			a, b := published(order[i-1]), published(order[i])
			if sort == search.Newest && a < b || sort == search.Oldest && a > b {
				t.Fatalf("sort %v: %s (%s) before %s (%s)", sort, order[i-1], a, order[i], b)
			}
		}
	}
}
