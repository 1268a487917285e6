package catalog_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
)

// zipfRecords is a deterministic collection of videos of segments whose
// words follow Zipf's law, as speech does: a few words in most segments,
// most words in few. With fixed, every segment has n words.
func zipfRecords(seed uint64, videos, perVideo, n int, fixed bool) []catalog.Record {
	rng := rand.New(rand.NewPCG(seed, 7))
	vocab := make([]string, 3000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dx", i)
	}
	vocab[0], vocab[1], vocab[2], vocab[3] = "the", "network", "learning", "model"
	zipf := rand.NewZipf(rng, 1.1, 2.7, uint64(len(vocab)-1))
	var recs []catalog.Record
	for v := range videos {
		id := fmt.Sprintf("zipf%07d", v)
		for s := range perVideo {
			k := n
			if !fixed {
				k = n/2 + rng.IntN(n)
			}
			words := make([]string, k)
			for i := range words {
				words[i] = vocab[zipf.Uint64()]
			}
			recs = append(recs, catalog.Record{VideoID: id, Title: "Video " + id, Start: s * 10, End: s*10 + 10, Text: strings.Join(words, " ")})
		}
	}
	return recs
}

// openBlocks opens a catalog whose champion lists are cut into blocks of
// size ids, perBlock entries each.
func openBlocks(t *testing.T, size, perBlock int) *catalog.Catalog {
	t.Helper()
	c, _ := openTemp(t)
	if _, err := c.DB().Exec(`UPDATE champion_state SET block_size = ?, per_block = ?`, size, perBlock); err != nil {
		t.Fatal(err)
	}
	return c
}

func importAll(t *testing.T, c *catalog.Catalog, recs []catalog.Record) {
	t.Helper()
	if _, err := c.Import(context.Background(), records(recs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

// ranked is FTS5's own ranking of every match of q: best first, the
// newest first among equals, as search orders them.
func ranked(t *testing.T, c *catalog.Catalog, q search.Query, n int) []search.Scored {
	t.Helper()
	rows, err := c.DB().Query(`SELECT rowid, rank FROM segments_fts WHERE segments_fts MATCH ? ORDER BY rank, rowid DESC LIMIT ?`, catalog.MatchExpr(q), n)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []search.Scored
	for rows.Next() {
		var s search.Scored
		if err := rows.Scan(&s.Segment, &s.Score); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func parse(t *testing.T, s string) search.Query {
	t.Helper()
	q, err := search.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// TestBestIsFTS5sRanking: the best matches of a word from its lists are
// FTS5's own first ones, with FTS5's scores; those of several words share
// FTS5's scores and nearly all of its first ones.
func TestBestIsFTS5sRanking(t *testing.T) {
	c := openBlocks(t, 64, 8)
	importAll(t, c, zipfRecords(1, 12, 250, 40, false))
	x := catalog.NewIndex(c)
	ctx := context.Background()
	for _, tc := range []struct {
		query string
		exact bool // the first 8 (per_block) are FTS5's, in order
		share int  // else at least this many of FTS5's first 8
	}{
		{"the", true, 8},
		{"network", true, 8},
		{"w40x", true, 8},
		{"w900x", true, 8},
		{"network learning", false, 7},
		{"network OR w40x", false, 7},
		{"network -learning", false, 7},
		{"model w25x", false, 7},
	} {
		q := parse(t, tc.query)
		got, err := x.Best(ctx, q, search.Filter{}, 8)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		want := ranked(t, c, q, 8)
		if len(want) < 8 {
			t.Fatalf("%s: only %d matches", tc.query, len(want))
		}
		score := map[int64]float64{}
		for _, s := range ranked(t, c, q, 1_000_000) {
			score[s.Segment] = s.Score
		}
		shared := 0
		for i, g := range got {
			if s, ok := score[g.Segment]; !ok || !closeTo(g.Score, s) {
				t.Errorf("%s: segment %d scored %v, FTS5 %v (matches %v)", tc.query, g.Segment, g.Score, s, ok)
			}
			if !strings.Contains(g.Marked, search.MarkStart) {
				t.Errorf("%s: segment %d not marked: %q", tc.query, g.Segment, g.Marked)
			}
			if tc.exact && g.Segment != want[i].Segment {
				t.Errorf("%s: #%d is %d (%v), FTS5's %d (%v)", tc.query, i+1, g.Segment, g.Score, want[i].Segment, want[i].Score)
			}
			if slices.ContainsFunc(want, func(w search.Scored) bool { return w.Segment == g.Segment }) {
				shared++
			}
		}
		if shared < tc.share {
			t.Errorf("%s: %d of FTS5's first 8, want %d", tc.query, shared, tc.share)
		}
	}
	// A prefix is not answered from the lists.
	if _, err := x.Best(ctx, parse(t, "netw*"), search.Filter{}, 8); err != search.ErrNoBest {
		t.Errorf("prefix: %v, want ErrNoBest", err)
	}
}

// TestBestWithinVideos: within a few videos every match is scored.
func TestBestWithinVideos(t *testing.T) {
	c := openBlocks(t, 64, 4)
	importAll(t, c, zipfRecords(2, 6, 100, 30, false))
	x := catalog.NewIndex(c)
	videos := []string{"zipf0000001", "zipf0000004"}
	q := parse(t, "network")
	got, err := x.Best(context.Background(), q, search.Filter{Videos: videos}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var want []search.Scored
	for _, s := range ranked(t, c, q, 1_000_000) {
		segs, err := x.Segments(context.Background(), []int64{s.Segment})
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(videos, segs[0].VideoID) {
			want = append(want, s)
		}
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d matches in the videos, FTS5 %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Segment != want[i].Segment || !closeTo(got[i].Score, want[i].Score) {
			t.Errorf("#%d: %d (%v), FTS5 %d (%v)", i+1, got[i].Segment, got[i].Score, want[i].Segment, want[i].Score)
		}
	}
}

// TestChampionsImportedInPartsAreWhole: lists written by several imports,
// each ending within a block, are those of one import; a delete takes the
// video's segments out of them.
func TestChampionsImportedInPartsAreWhole(t *testing.T) {
	recs := zipfRecords(3, 10, 90, 25, true) // one length: the same weights whatever the average
	whole := openBlocks(t, 128, 6)
	importAll(t, whole, recs)
	parts := openBlocks(t, 128, 6)
	for _, cut := range [][2]int{{0, 100}, {100, 450}, {450, 451}, {451, len(recs)}} {
		importAll(t, parts, recs[cut[0]:cut[1]])
	}
	lists := func(c *catalog.Catalog) string {
		rows, err := c.DB().Query(`SELECT term, block, docs, hex(best) FROM segment_champions ORDER BY term, block`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var term, best string
			var block, docs int
			if err := rows.Scan(&term, &block, &docs, &best); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %d %d %s\n", term, block, docs, best)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if a, b := lists(whole), lists(parts); a != b || a == "" {
		t.Errorf("lists differ:\n%.2000s\n---\n%.2000s", a, b)
	}

	ctx := context.Background()
	if _, err := parts.Delete(ctx, []string{"zipf0000003"}); err != nil {
		t.Fatal(err)
	}
	x := catalog.NewIndex(parts)
	q := parse(t, "network")
	got, err := x.Best(ctx, q, search.Filter{}, 6)
	if err != nil {
		t.Fatal(err)
	}
	want := ranked(t, parts, q, 6)
	for i := range got {
		if got[i].Video == "zipf0000003" {
			t.Errorf("deleted video's segment %d ranked", got[i].Segment)
		}
		if got[i].Segment != want[i].Segment || !closeTo(got[i].Score, want[i].Score) {
			t.Errorf("after the delete, #%d: %d (%v), FTS5 %d (%v)", i+1, got[i].Segment, got[i].Score, want[i].Segment, want[i].Score)
		}
	}
	var inLists int
	if err := parts.DB().QueryRow(`SELECT coalesce(sum(docs), 0) FROM segment_champions WHERE term = 'network'`).Scan(&inLists); err != nil {
		t.Fatal(err)
	}
	var indexed int
	if err := parts.DB().QueryRow(`SELECT count(*) FROM segments_fts WHERE segments_fts MATCH 'network'`).Scan(&indexed); err != nil {
		t.Fatal(err)
	}
	if inLists != indexed {
		t.Errorf("the lists count %d segments with the word, the index %d", inLists, indexed)
	}
}
