package search_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
)

// TestFrequentWordsRankedAsAllTheirMatches: a word in more than CountCap
// segments is ranked as if every match were scored. On a Zipf collection
// of 30,000 segments, with the caps scaled down (CountCap 250, RankWindow
// 25) and the index's champion lists cut into blocks of 2,048 ids, each
// word's first page is compared with the exhaustive ranking by the
// engine's own formula (FTS5's bm25 over every match, plus TitleWeight
// times the title's): the median page shares at least 18 of its 20 hits,
// for words in 1–2 % of the segments (mid), 10–40 % (common) and over
// 50 % (very common).
func TestFrequentWordsRankedAsAllTheirMatches(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 30,000 segments")
	}
	path := filepath.Join(t.TempDir(), "zipf.db")
	c, st, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); st.raw.Close() })
	if _, err := st.raw.Exec(`UPDATE champion_state SET block_size = 2048`); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	recs := zipfCollection(120, 250)
	if _, err := c.Import(ctx, func(yield func(catalog.Record, error) bool) {
		for _, r := range recs {
			if !yield(r, nil) {
				return
			}
		}
	}, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	e := search.NewWithCaps(st.index, time.Minute, 250, 25)

	// The words of each class, by the share of segments holding them.
	rows, err := st.raw.Query(`SELECT term, doc FROM segments_vocab ORDER BY doc DESC, term`)
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string][]string{}
	n := float64(len(recs))
	for rows.Next() {
		var term string
		var docs float64
		if err := rows.Scan(&term, &docs); err != nil {
			t.Fatal(err)
		}
		share := docs / n
		switch {
		case share > 0.5:
			classes["very common"] = append(classes["very common"], term)
		case share >= 0.10 && share <= 0.40:
			classes["common"] = append(classes["common"], term)
		case share >= 0.01 && share <= 0.02:
			classes["mid"] = append(classes["mid"], term)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, class := range []string{"mid", "common", "very common"} {
		words := classes[class]
		if len(words) > 15 {
			words = words[:15]
		}
		if len(words) < 2 {
			t.Fatalf("%s: %d words", class, len(words))
		}
		var shares []int
		for _, w := range words {
			res, err := e.Search(ctx, search.Request{Query: w, Page: 1, Group: search.GroupNone})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Capped || res.Windowed || res.Unranked {
				t.Errorf("%s: capped %v, windowed %v, unranked %v", w, res.Capped, res.Windowed, res.Unranked)
			}
			want := exhaustive(t, st, w, search.PerPage)
			shared := 0
			for _, h := range res.Hits {
				if slices.Contains(want, h.SegmentID) {
					shared++
				}
			}
			shares = append(shares, shared)
		}
		sort.Ints(shares)
		median := shares[len(shares)/2]
		t.Logf("%s: %d words, top-20 shared with exhaustive ranking %v, median %d", class, len(words), shares, median)
		if median < 18 {
			t.Errorf("%s: median %d of 20 shared with exhaustive ranking, want 18", class, median)
		}
	}
}

// exhaustive ranks every match of word by the engine's formula: FTS5's
// bm25 of the text plus TitleWeight times its video's title score, for the
// best-matching titles (as many as the engine boosts), best first, the
// newest first among equals.
func exhaustive(t *testing.T, st store, word string, n int) []int64 {
	t.Helper()
	match := `"` + word + `"`
	titles := map[string]float64{}
	rows, err := st.raw.Query(`SELECT v.video_id, videos_fts.rank FROM videos_fts JOIN videos v ON v.rowid = videos_fts.rowid
		WHERE videos_fts MATCH ? ORDER BY videos_fts.rank LIMIT 20`, match)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v string
		var s float64
		if err := rows.Scan(&v, &s); err != nil {
			t.Fatal(err)
		}
		titles[v] = s
	}
	rows.Close()
	type scored struct {
		id    int64
		score float64
	}
	var all []scored
	rows, err = st.raw.Query(`SELECT s.id, s.video_id, segments_fts.rank FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid
		WHERE segments_fts MATCH ?`, match)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s scored
		var video string
		if err := rows.Scan(&s.id, &video, &s.score); err != nil {
			t.Fatal(err)
		}
		s.score += search.TitleWeight * titles[video]
		all = append(all, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(all, func(a, b scored) int {
		if c := cmp.Compare(a.score, b.score); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	var ids []int64
	for _, s := range all[:min(n, len(all))] {
		ids = append(ids, s.id)
	}
	return ids
}

// zipfCollection is videos of perVideo segments of 40–90 words drawn by
// Zipf's law from a vocabulary of 5,000, titled with a few of its more
// frequent words.
func zipfCollection(videos, perVideo int) []catalog.Record {
	rng := rand.New(rand.NewPCG(18, 10))
	vocab := make([]string, 5000)
	for i := range vocab {
		vocab[i] = word(i)
	}
	zipf := rand.NewZipf(rng, 1.1, 2.7, uint64(len(vocab)-1))
	var recs []catalog.Record
	for v := range videos {
		id := fmt.Sprintf("zipf%07d", v)
		title := make([]string, 3)
		for i := range title {
			title[i] = vocab[rng.IntN(200)]
		}
		for s := range perVideo {
			words := make([]string, 40+rng.IntN(51))
			for i := range words {
				words[i] = vocab[zipf.Uint64()]
			}
			recs = append(recs, catalog.Record{
				Pos: fmt.Sprintf("zipf:%d", len(recs)+1), VideoID: id, Title: strings.Join(title, " "),
				Start: s * 20, End: s*20 + 20, Text: strings.Join(words, " "),
			})
		}
	}
	return recs
}

// word is the i'th word of a made-up vocabulary: letters only, none a
// Porter stem of another.
func word(i int) string {
	const consonants, vowels = "bdfgklmnprstvz", "aiou"
	var b strings.Builder
	for {
		b.WriteByte(consonants[i%len(consonants)])
		i /= len(consonants)
		b.WriteByte(vowels[i%len(vowels)])
		i /= len(vowels)
		if i == 0 {
			return b.String()
		}
	}
}
