package search_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
)

// newEngine builds a catalog from records in a temporary file.
func newEngine(t testing.TB, recs []catalog.Record) (*search.Engine, store) {
	t.Helper()
	c, s := newStore(t)
	importRecords(t, c, recs)
	return search.New(s.index, 10*time.Second), s
}

// newStore opens an empty catalog in a temporary file.
func newStore(t testing.TB) (*catalog.Catalog, store) {
	t.Helper()
	c, s, err := openStore(filepath.Join(t.TempDir(), "find.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); s.raw.Close() })
	return c, s
}

// importRecords imports recs into c, one import, positions numbered
// from 1.
func importRecords(t testing.TB, c *catalog.Catalog, recs []catalog.Record) {
	t.Helper()
	seq := func(yield func(catalog.Record, error) bool) {
		for i, r := range recs {
			r.Pos = fmt.Sprintf("gen:%d", i+1)
			if !yield(r, nil) {
				return
			}
		}
	}
	if _, err := c.Import(context.Background(), iter.Seq2[catalog.Record, error](seq), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

// videoCounts runs query, which selects a video id and a count, into a
// map.
func videoCounts(t testing.TB, db *sql.DB, query string, args ...any) map[string]int {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			t.Fatal(err)
		}
		out[v] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func find(t *testing.T, e *search.Engine, r search.Request) search.Results {
	t.Helper()
	if r.Page == 0 {
		r.Page = 1
	}
	res, err := e.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	return res
}

// filler is speech without any of the planted words.
var filler = strings.Fields(`so what we do here is we take the model and we train it on the data and then we look at
the results and see how well it does on the test set which is not so bad actually if you think about it`)

func words(rng *rand.Rand, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = filler[rng.IntN(len(filler))]
	}
	return strings.Join(ws, " ")
}

// generated is a deterministic corpus: 40 videos of 60 segments of filler,
// with needles planted at known words of known segments.
func generated() []catalog.Record {
	rng := rand.New(rand.NewPCG(1, 2))
	var recs []catalog.Record
	for v := range 40 {
		id := fmt.Sprintf("gen%08d", v)
		for s := range 60 {
			text := words(rng, 70)
			switch {
			case v == 7 && s == 30: // "quokka" is said once, 35 words into 900–930 s
				text = words(rng, 35) + " quokka " + words(rng, 34)
			case v == 12 && s == 5: // the phrase, at the very start of 150–180 s
				text = "stochastic gradient descent " + words(rng, 67)
			case v == 12 && s == 40:
				text = words(rng, 60) + " gradient " + words(rng, 9)
			case v == 20 && s == 10: // said often in video 20
				text = "gradient descent gradient descent " + words(rng, 66)
			}
			recs = append(recs, catalog.Record{VideoID: id, Title: fmt.Sprintf("Lecture %d", v), Start: s * 30, End: s*30 + 30, Text: text})
		}
	}
	// Video 33 is about optimisation: its title says so, its text barely.
	for i := range recs {
		if recs[i].VideoID == "gen00000033" {
			recs[i].Title = "Gradient descent explained"
			if recs[i].Start == 300 {
				recs[i].Text = words(rng, 50) + " descent " + words(rng, 19)
			}
		}
	}
	// Video 39's title alone mentions the platypus.
	for i := range recs {
		if recs[i].VideoID == "gen00000039" {
			recs[i].Title = "The platypus lecture"
		}
	}
	return recs
}

func TestGeneratedRelevanceTable(t *testing.T) {
	e, _ := newEngine(t, generated())
	for _, cols := range readTable(t, "testdata/relevance_generated.tsv") {
		q, video := cols[0], cols[1]
		lo, _ := strconv.Atoi(cols[2])
		hi, _ := strconv.Atoi(cols[3])
		t.Run(q, func(t *testing.T) {
			res := find(t, e, search.Request{Query: q, Group: search.GroupNone})
			if len(res.Hits) == 0 {
				t.Fatal("no hits")
			}
			top := res.Hits[0]
			if top.VideoID != video || top.Moment < lo || top.Moment > hi {
				t.Errorf("top hit %s at %ds (segment %d–%d), want %s at %d–%ds", top.VideoID, top.Moment, top.Start, top.End, video, lo, hi)
			}
			if top.Moment < top.Start || top.Moment > top.End {
				t.Errorf("moment %d outside its segment %d–%d", top.Moment, top.Start, top.End)
			}
		})
	}
}

func TestTitleMatchesWeighAboveText(t *testing.T) {
	e, _ := newEngine(t, generated())
	// "descent" alone: video 20 says it twice in one segment, video 33
	// once, but 33's title is about it.
	res := find(t, e, search.Request{Query: "descent", Group: search.GroupNone})
	if res.Hits[0].VideoID != "gen00000033" || !res.Hits[0].TitleMatch {
		t.Errorf("top hit %s (title match %v), want the video titled with the word", res.Hits[0].VideoID, res.Hits[0].TitleMatch)
	}
	// A word only in a title finds the video, at its start.
	res = find(t, e, search.Request{Query: "platypus", Group: search.GroupNone})
	if res.Total != 1 || res.Hits[0].VideoID != "gen00000039" || res.Hits[0].Start != 0 || !res.Hits[0].TitleMatch {
		t.Errorf("platypus: %d hits, first %+v", res.Total, res.Hits)
	}
}

func TestCapBoundsCountsAndPages(t *testing.T) {
	var recs []catalog.Record
	for i := range search.CountCap + 50 {
		recs = append(recs, catalog.Record{VideoID: fmt.Sprintf("cap%08d", i/500), Start: (i % 500) * 10, End: (i%500)*10 + 10, Text: "the same words every time " + strconv.Itoa(i)})
	}
	e, st := newEngine(t, recs)
	res := find(t, e, search.Request{Query: "same words", Group: search.GroupNone})
	if res.Total != search.CountCap || !res.Capped || res.Ranked != search.RankCap || res.Pages() != search.MaxPage {
		t.Errorf("total %d capped %v ranked %d pages %d", res.Total, res.Capped, res.Ranked, res.Pages())
	}
	// Words in every segment: BM25 gives them no weight beyond how often
	// and in how short a line they are said. The index's best matches
	// rank them: every line is alike here, so the newest come first.
	if res.Unranked || res.Windowed {
		t.Errorf("words in every segment: unranked %v, windowed %v with the index's best", res.Unranked, res.Windowed)
	}
	newestFirst := func(query string, next int64) {
		t.Helper()
		for p := 1; p <= res.Pages(); p++ {
			for _, h := range find(t, e, search.Request{Query: query, Group: search.GroupNone, Page: p}).Hits {
				if h.SegmentID != next {
					t.Fatalf("%s: segment %d listed where segment %d, the next newest, belongs", query, h.SegmentID, next)
				}
				next--
			}
		}
	}
	newestFirst("same words", int64(search.CountCap+50))
	either := find(t, e, search.Request{Query: "same OR platypus", Group: search.GroupNone})
	if !either.Capped || either.Unranked || either.Windowed {
		t.Errorf("alternatives: capped %v, unranked %v, windowed %v", either.Capped, either.Unranked, either.Windowed)
	}

	// A segment written by another tool is not in the index's lists of
	// best matches until the next import: meanwhile such queries are
	// listed as before there were any. Words in every segment: the newest
	// matches, newest first, unscored.
	if _, err := st.raw.Exec(`INSERT INTO segments (video_id, start_second, end_second, text) VALUES ('cap00000040', 9000, 9010, 'the same words every time, written by another tool')`); err != nil {
		t.Fatal(err)
	}
	res = find(t, e, search.Request{Query: "same words", Group: search.GroupNone})
	if !res.Unranked || res.Windowed {
		t.Errorf("without the lists: unranked %v, windowed %v", res.Unranked, res.Windowed)
	}
	newestFirst("same words", int64(search.CountCap+51))
	// Too common to rank exhaustively, but one of two words may be rare:
	// ranked among the newest RankWindow segments (the last imported).
	either = find(t, e, search.Request{Query: "same OR platypus", Group: search.GroupNone})
	if !either.Capped || either.Unranked || !either.Windowed {
		t.Errorf("alternatives without the lists: capped %v, unranked %v, windowed %v", either.Capped, either.Unranked, either.Windowed)
	}
	oldest := int64(search.CountCap + 51 - search.RankWindow)
	for p := 1; p <= either.Pages(); p++ {
		for _, h := range find(t, e, search.Request{Query: "same OR platypus", Group: search.GroupNone, Page: p}).Hits {
			if h.SegmentID <= oldest {
				t.Fatalf("segment %d ranked: older than the newest %d matches", h.SegmentID, search.RankWindow)
			}
		}
	}
	last := find(t, e, search.Request{Query: "same words", Group: search.GroupNone, Page: search.MaxPage})
	if len(last.Hits) != search.PerPage {
		t.Errorf("last page has %d hits", len(last.Hits))
	}
	for _, r := range []search.Request{
		{Query: "same words", Group: search.GroupNone, Page: search.MaxPage + 1},
		{Query: "same words", Page: search.MaxGroupPage + 1},
	} {
		if _, err := e.Search(context.Background(), r); !errors.Is(err, search.ErrBadQuery) {
			t.Errorf("page %d past the deepest (group %v): %v", r.Page, r.Group, err)
		}
	}
	selective := find(t, e, search.Request{Query: "9999", Group: search.GroupNone})
	if selective.Total != 1 || selective.Capped {
		t.Errorf("selective query: %d, capped %v", selective.Total, selective.Capped)
	}
}

func TestSortByTime(t *testing.T) {
	res := find(t, engine(t), search.Request{Query: "the", Sort: search.Time, Group: search.GroupNone})
	best := find(t, engine(t), search.Request{Query: "the", Group: search.GroupNone})
	var all []search.Hit
	for p := 1; p <= res.Pages(); p++ {
		all = append(all, find(t, engine(t), search.Request{Query: "the", Sort: search.Time, Group: search.GroupNone, Page: p}).Hits...)
	}
	if len(all) != res.Total {
		t.Fatalf("paged %d of %d", len(all), res.Total)
	}
	if all[0].VideoID != best.Hits[0].VideoID {
		t.Errorf("time order starts with %s, the best hit's video is %s", all[0].VideoID, best.Hits[0].VideoID)
	}
	done := map[string]bool{}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.VideoID == b.VideoID && a.Start >= b.Start {
			t.Errorf("within %s, %d before %d", a.VideoID, a.Start, b.Start)
		}
		if a.VideoID != b.VideoID {
			done[a.VideoID] = true
			if done[b.VideoID] {
				t.Errorf("video %s comes back after others", b.VideoID)
			}
		}
	}
}

func TestGrouping(t *testing.T) {
	e := engine(t)
	res := find(t, e, search.Request{Query: "the"})
	if !res.Grouped || res.Videos != 4 || len(res.Groups) != 4 {
		t.Fatalf("auto grouping of %d hits: grouped %v, %d videos, %d groups", res.Total, res.Grouped, res.Videos, len(res.Groups))
	}
	sum := 0
	for i, g := range res.Groups {
		sum += g.Count
		if len(g.Hits) == 0 || len(g.Hits) > search.SnippetsPerGroup || g.Title == "" || g.Thumbnail == "" {
			t.Errorf("group %d: %d hits, %q", i, len(g.Hits), g.Title)
		}
		for _, h := range g.Hits {
			if h.VideoID != g.VideoID || len(h.Snippet) == 0 {
				t.Errorf("group %s holds %+v", g.VideoID, h)
			}
		}
	}
	if sum != res.Total {
		t.Errorf("groups count %d of %d hits", sum, res.Total)
	}
	// No title matches "the": videos come by their number of matches, as
	// the facets list them, each with its best hits in order.
	for i, g := range res.Groups {
		if g.VideoID != res.Facets[i].VideoID || g.Count != res.Facets[i].Count {
			t.Errorf("group %d is %s (%d), facet %d is %s (%d)", i, g.VideoID, g.Count, i, res.Facets[i].VideoID, res.Facets[i].Count)
		}
	}
	// A title match puts its video first.
	titled := find(t, e, search.Request{Query: "learning", Group: search.GroupVideos})
	if len(titled.Groups) == 0 || !titled.Groups[0].Hits[0].TitleMatch {
		t.Errorf("first group %+v", titled.Groups)
	}
	if few := find(t, e, search.Request{Query: "kaggle"}); few.Grouped {
		t.Error("a single hit was grouped")
	}
	if forced := find(t, e, search.Request{Query: "kaggle", Group: search.GroupVideos}); !forced.Grouped || len(forced.Groups) != 1 {
		t.Error("group=video not honoured")
	}
	if none := find(t, e, search.Request{Query: "the", Group: search.GroupNone}); none.Grouped || len(none.Hits) != search.PerPage {
		t.Error("group=none not honoured")
	}
}

func TestVideoFilterAndFacets(t *testing.T) {
	e := engine(t)
	all := find(t, e, search.Request{Query: "the", Group: search.GroupNone})
	if len(all.Facets) != 4 {
		t.Fatalf("%d facets", len(all.Facets))
	}
	for i := 1; i < len(all.Facets); i++ {
		if all.Facets[i].Count > all.Facets[i-1].Count || all.Facets[i].Title == "" {
			t.Errorf("facets not by count: %+v", all.Facets)
		}
	}
	f := all.Facets[1]
	one := find(t, e, search.Request{Query: "the", Group: search.GroupNone, Videos: []string{f.VideoID}})
	if one.Total != f.Count || one.Videos != 1 {
		t.Errorf("filtered to %s: %d hits in %d videos, facet said %d", f.VideoID, one.Total, one.Videos, f.Count)
	}
	for _, h := range one.Hits {
		if h.VideoID != f.VideoID {
			t.Errorf("hit from %s", h.VideoID)
		}
	}
	if !slices.Equal(one.Facets, all.Facets) {
		t.Errorf("facets changed with the filter: %+v", one.Facets)
	}
	two := find(t, e, search.Request{Query: "the", Group: search.GroupNone, Videos: []string{all.Facets[2].VideoID, all.Facets[3].VideoID}})
	if two.Total != all.Facets[2].Count+all.Facets[3].Count {
		t.Errorf("two videos: %d", two.Total)
	}
	none := find(t, e, search.Request{Query: "the", Videos: []string{"nonexistent"}})
	if none.Total != 0 {
		t.Errorf("unknown video: %d hits", none.Total)
	}
}

func TestInVideo(t *testing.T) {
	e := engine(t)
	ms, err := e.InVideo(context.Background(), "MpdbFLXOOIw", "augment")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 8 {
		t.Fatalf("%d matches, want 8", len(ms))
	}
	for i, m := range ms {
		if i > 0 && m.Start <= ms[i-1].Start {
			t.Errorf("not in time order at %d", i)
		}
		if m.Moment < m.Start || m.Moment > m.End {
			t.Errorf("moment %d outside %d–%d", m.Moment, m.Start, m.End)
		}
		marked := 0
		for _, f := range m.Text {
			if f.Match {
				marked++
				if !strings.HasPrefix(strings.ToLower(f.Text), "augment") {
					t.Errorf("marked %q", f.Text)
				}
			}
		}
		if marked == 0 {
			t.Errorf("line %d has no mark", m.Start)
		}
	}
	if _, err := e.InVideo(context.Background(), "MpdbFLXOOIw", "-the"); !errors.Is(err, search.ErrBadQuery) {
		t.Errorf("bad query: %v", err)
	}
}

// TestMisspeltWordsAreCorrected: a word the index lacks, within an edit
// or two of one it holds, is searched as that word, and the results say
// so; Verbatim searches what was typed.
func TestMisspeltWordsAreCorrected(t *testing.T) {
	e := engine(t)
	for in, want := range map[string]string{
		"contrastiv lerning": "contrastive learning",
		"agumented":          "augmented",
		"supervsed":          "supervised",
		"Contrastiv":         "contrastive",
		"contrastiv -dog":    "contrastive -dog",
		"augmented":          "", // found: nothing to correct
		"xylophone":          "", // nothing close
	} {
		res := find(t, e, search.Request{Query: in})
		if res.Corrected != want {
			t.Errorf("%q corrected to %q, want %q", in, res.Corrected, want)
		}
		if want != "" && (res.Total == 0 || len(res.Corrections) == 0) {
			t.Errorf("%q: %d hits after correcting %+v", in, res.Total, res.Corrections)
		}
		if exact := find(t, e, search.Request{Query: in, Verbatim: true}); exact.Corrected != "" {
			t.Errorf("%q verbatim was corrected to %q", in, exact.Corrected)
		}
	}
	// A question with a typo: corrected, then relaxed, and no hit says it
	// lacks the misspelt word.
	res := find(t, e, search.Request{Query: "what did they say about supervsed contrastiv learning", Group: search.GroupNone})
	if !res.Relaxed || !strings.Contains(res.Corrected, "supervised contrastive") || len(res.Hits) == 0 {
		t.Fatalf("relaxed %v, corrected %q, %d hits", res.Relaxed, res.Corrected, len(res.Hits))
	}
	for _, h := range res.Hits {
		for _, m := range h.Missing {
			if m == "supervsed" || m == "contrastiv" {
				t.Errorf("a hit lacks the misspelt %q", m)
			}
		}
	}
}

// TestSelectiveRankingIsFullBM25: below the cap, the engine ranks exactly
// as FTS5's own ORDER BY rank over every match, on pages of hits and on
// pages of videos, where only the shown videos' matches are scored.
func TestSelectiveRankingIsFullBM25(t *testing.T) {
	s := sample(t)
	e := search.New(s.index, 5*time.Second)
	for _, q := range []string{"augment", "decision boundary", `"the class"`, "dog OR cat", "network -neural", "adversar*"} {
		parsed, _ := search.Parse(q)
		rows, err := s.raw.Query(`
			SELECT f.rowid, s.video_id FROM segments_fts f JOIN segments s ON s.id = f.rowid
			WHERE segments_fts MATCH ? ORDER BY f.rank, f.rowid DESC`, catalog.MatchExpr(parsed))
		if err != nil {
			t.Fatal(err)
		}
		type match struct {
			id    int64
			video string
		}
		var matches []match
		for rows.Next() {
			var m match
			if err := rows.Scan(&m.id, &m.video); err != nil {
				t.Fatal(err)
			}
			matches = append(matches, m)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		// Lines whose words stand together first, each part in FTS5's
		// order.
		together := nearSet(t, s, parsed)
		slices.SortStableFunc(matches, func(a, b match) int {
			switch {
			case together[a.id] && !together[b.id]:
				return -1
			case together[b.id] && !together[a.id]:
				return 1
			}
			return 0
		})
		var want []int64
		inVideo := map[string][]int64{} // each video's matches, best first
		for _, m := range matches {
			want = append(want, m.id)
			inVideo[m.video] = append(inVideo[m.video], m.id)
		}
		var got []int64
		res := find(t, e, search.Request{Query: q, Group: search.GroupNone, Verbatim: true})
		for p := 1; p <= res.Pages(); p++ {
			for _, h := range find(t, e, search.Request{Query: q, Group: search.GroupNone, Page: p, Verbatim: true}).Hits {
				if h.TitleMatch {
					t.Fatalf("%q matches a title: pick a query whose ranking is BM25 alone", q)
				}
				got = append(got, h.SegmentID)
			}
		}
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%q ranked %v, FTS5 ranks %v", q, got, want)
		}
		// Grouped, each video shows its own best matches in FTS5's order.
		grouped := find(t, e, search.Request{Query: q, Group: search.GroupVideos, Verbatim: true})
		for p := 1; p <= grouped.Pages(); p++ {
			for _, g := range find(t, e, search.Request{Query: q, Group: search.GroupVideos, Page: p, Verbatim: true}).Groups {
				var ids []int64
				for _, h := range g.Hits {
					ids = append(ids, h.SegmentID)
				}
				best := inVideo[g.VideoID][:min(search.SnippetsPerGroup, len(inVideo[g.VideoID]))]
				if !slices.Equal(ids, best) {
					t.Errorf("%q: video %s shows %v, its best by FTS5 are %v", q, g.VideoID, ids, best)
				}
			}
		}
	}
}

// TestSegmentsFromOtherWritersAreFound: a segment inserted by another tool
// (no segment range) is still found, put in its video and marked in it.
func TestSegmentsFromOtherWritersAreFound(t *testing.T) {
	e, s := newEngine(t, []catalog.Record{{VideoID: "aaaaaaaaaaa", Start: 0, End: 10, Text: "imported words", Title: "A"}})
	if _, err := s.raw.Exec(`INSERT INTO segments (video_id, start_second, end_second, text) VALUES ('aaaaaaaaaaa', 10, 20, 'written by hand wombat')`); err != nil {
		t.Fatal(err)
	}
	res := find(t, e, search.Request{Query: "wombat", Group: search.GroupNone})
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].VideoID != "aaaaaaaaaaa" || len(res.Facets) != 1 || res.Facets[0].VideoID != "aaaaaaaaaaa" {
		t.Errorf("hits %+v, facets %+v", res.Hits, res.Facets)
	}
	// In the video's page, both its imported and its hand-written lines.
	for _, q := range []string{"wombat", "imported", "wombat OR imported"} {
		want := 1
		if strings.Contains(q, "OR") {
			want = 2
		}
		ms, err := e.InVideo(context.Background(), "aaaaaaaaaaa", q)
		if err != nil || len(ms) != want {
			t.Errorf("in the video, %q: %d matches (%v), want %d", q, len(ms), err, want)
		}
	}
}

// TestEveryShownHitIsDescribed checks the snippets of every kind of page:
// each hit whose words match carries its marked words and a moment within
// its segment; a hit found by its video's title alone carries its text.
func TestEveryShownHitIsDescribed(t *testing.T) {
	e, _ := newEngine(t, generated())
	for _, r := range []search.Request{
		{Query: "gradient"},
		{Query: "gradient", Group: search.GroupNone},
		{Query: "the -model", Group: search.GroupNone, Page: 2},
		{Query: "gradient", Sort: search.Time},
		{Query: "descent", Group: search.GroupVideos},
		{Query: "descent OR platypus", Group: search.GroupNone},
		{Query: `"gradient descent"`},
		{Query: "model", Group: search.GroupNone, Page: 3},
		{Query: "model"},
		{Query: "quokka"},
	} {
		res := find(t, e, r)
		hits := res.Hits
		for _, g := range res.Groups {
			hits = append(hits, g.Hits...)
		}
		if len(hits) == 0 {
			t.Errorf("%+v: no hits", r)
		}
		for _, h := range hits {
			marked := slices.ContainsFunc(h.Snippet, func(f search.Fragment) bool { return f.Match })
			// Found by the title alone: the video's first segment, which
			// does not say the word.
			word := strings.Trim(strings.Fields(r.Query)[0], `"`)
			titleOnly := h.TitleMatch && h.Start == 0 && !strings.Contains(strings.ToLower(h.Text), word)
			switch {
			case h.Text == "" || h.Title == "" || len(h.Snippet) == 0:
				t.Errorf("%+v: segment %d not described: %+v", r, h.SegmentID, h)
			case marked == titleOnly:
				t.Errorf("%+v: segment %d of %s marked %v: %+v", r, h.SegmentID, h.VideoID, marked, h.Snippet)
			case h.Moment < h.Start || h.Moment > h.End:
				t.Errorf("%+v: moment %d outside %d–%d", r, h.Moment, h.Start, h.End)
			}
		}
	}
}

// TestTitleLiftsLinesRankedLowByText: a video whose title matches comes
// first even when its lines, by their words alone, rank below the RankCap
// best of the collection.
func TestTitleLiftsLinesRankedLowByText(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var recs []catalog.Record
	for i := range search.RankCap + 50 {
		recs = append(recs, catalog.Record{VideoID: fmt.Sprintf("kang%07d", i/50), Title: "Lecture", Start: (i % 50) * 30, End: (i%50)*30 + 30,
			Text: "kangaroo kangaroo kangaroo " + words(rng, 5)})
	}
	for s := range 5 {
		recs = append(recs, catalog.Record{VideoID: "titledkanga", Title: "Kangaroo facts", Start: s * 30, End: s*30 + 30,
			Text: words(rng, 40) + " kangaroo " + words(rng, 40)})
	}
	e, _ := newEngine(t, recs)
	res := find(t, e, search.Request{Query: "kangaroo", Group: search.GroupNone})
	if top := res.Hits[0]; top.VideoID != "titledkanga" || !top.TitleMatch {
		t.Errorf("top hit %s (title match %v), want the video titled with the word", top.VideoID, top.TitleMatch)
	}
}

// TestTitledVideoPastTheCapIsMarked: a video found by its title whose
// matches lie beyond the newest CountCap is shown at its first line, and
// that line's words are marked when it says them.
func TestTitledVideoPastTheCapIsMarked(t *testing.T) {
	recs := []catalog.Record{
		{VideoID: "titledwords", Title: "Same words lecture", Start: 0, End: 30, Text: "same words at the very start of it"},
		{VideoID: "titledwords", Title: "Same words lecture", Start: 30, End: 60, Text: "then something else entirely"},
	}
	for i := range search.CountCap + 50 {
		recs = append(recs, catalog.Record{VideoID: fmt.Sprintf("cap%08d", i/500), Title: "Cap", Start: (i % 500) * 10, End: (i%500)*10 + 10,
			Text: "the same words every time " + strconv.Itoa(i)})
	}
	e, _ := newEngine(t, recs)
	res := find(t, e, search.Request{Query: "same words", Group: search.GroupNone})
	i := slices.IndexFunc(res.Hits, func(h search.Hit) bool { return h.VideoID == "titledwords" })
	if i < 0 {
		t.Fatal("the titled video is not among the hits")
	}
	h := res.Hits[i]
	if h.Start != 0 || !h.TitleMatch || !slices.ContainsFunc(h.Snippet, func(f search.Fragment) bool { return f.Match }) {
		t.Errorf("titled video shown at %d s, title match %v, snippet %+v", h.Start, h.TitleMatch, h.Snippet)
	}
}

// nearSet is the lines matching q whose words stand together, as the
// engine defines it (each word within 4 of the next), asked of FTS5.
func nearSet(t *testing.T, s store, q search.Query) map[int64]bool {
	t.Helper()
	set := map[int64]bool{}
	if len(q.Groups) < 2 {
		return set
	}
	for _, g := range q.Groups {
		if len(g) != 1 {
			return set
		}
	}
	q.Near = 4 * (len(q.Groups) - 1)
	rows, err := s.raw.Query(`SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?`, catalog.MatchExpr(q))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		set[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return set
}
