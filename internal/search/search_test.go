package search_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transcripts/site/data"
	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/search"
)

// store is a real catalog the tests search, with the test's own handle on
// the same file for asking FTS5 directly what the engine should find.
type store struct {
	index *catalog.Index
	raw   *sql.DB
}

// openStore opens (creating) the catalog at path.
func openStore(path string) (*catalog.Catalog, store, error) {
	c, err := catalog.Open(context.Background(), path)
	if err != nil {
		return nil, store{}, err
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		c.Close()
		return nil, store{}, err
	}
	return c, store{index: catalog.NewIndex(c), raw: raw}, nil
}

// sampleStore is a real database built from the shipped sample, made
// once for the package's tests (they only read it).
var sampleStore = sync.OnceValues(func() (store, error) {
	dir, err := os.MkdirTemp("", "search-test")
	if err != nil {
		return store{}, err
	}
	c, s, err := openStore(filepath.Join(dir, "sample.db"))
	if err != nil {
		return store{}, err
	}
	if _, err := c.Import(context.Background(), ingest.JSONLines(bytes.NewReader(data.Sample), "sample.jsonl"), catalog.ImportOptions{}); err != nil {
		return store{}, err
	}
	return s, nil
})

func sample(t testing.TB) store {
	t.Helper()
	s, err := sampleStore()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func engine(t testing.TB) *search.Engine {
	t.Helper()
	return search.New(sample(t).index, 5*time.Second)
}

// text joins a hit's snippet back into plain text.
func text(h search.Hit) string {
	var b strings.Builder
	for _, f := range h.Snippet {
		b.WriteString(f.Text)
	}
	return b.String()
}

func marked(h search.Hit) []string {
	var out []string
	for _, f := range h.Snippet {
		if f.Match {
			out = append(out, strings.ToLower(f.Text))
		}
	}
	return out
}

func mustSearch(t *testing.T, q string, page int) search.Results {
	t.Helper()
	res, err := engine(t).Search(context.Background(), search.Request{Query: q, Page: page, Group: search.GroupNone})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return res
}

// exactSearch is mustSearch of the words as typed: every word required,
// nothing corrected.
func exactSearch(t *testing.T, q string) search.Results {
	t.Helper()
	res, err := engine(t).Search(context.Background(), search.Request{Query: q, Page: 1, Group: search.GroupNone, Verbatim: true})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return res
}

func TestStemming(t *testing.T) {
	res := mustSearch(t, "augment", 1)
	if res.Total == 0 {
		t.Fatal("augment matched nothing")
	}
	forms := map[string]bool{}
	for _, h := range res.Hits {
		for _, m := range marked(h) {
			forms[m] = true
		}
	}
	if !forms["augmented"] || !forms["augment"] {
		t.Errorf("highlighted forms %v, want augment and augmented", forms)
	}
}

func TestAllWordsMustMatch(t *testing.T) {
	both := mustSearch(t, "urban rural", 1)
	urban := mustSearch(t, "urban", 1)
	if both.Total == 0 || both.Total > urban.Total {
		t.Fatalf("urban rural: %d, urban: %d", both.Total, urban.Total)
	}
	for _, h := range both.Hits {
		// Every hit's segment holds both words (the snippet is only a
		// window of it).
		seg := strings.ToLower(h.Text)
		if !strings.Contains(seg, "urban") || !strings.Contains(seg, "rural") {
			t.Errorf("hit without both words: %q", h.Text)
		}
	}
}

func TestPhrase(t *testing.T) {
	phrase := mustSearch(t, `"decision boundary"`, 1)
	words := mustSearch(t, `decision boundary`, 1)
	if phrase.Total == 0 || phrase.Total > words.Total {
		t.Fatalf("phrase %d, words %d", phrase.Total, words.Total)
	}
	for _, h := range phrase.Hits {
		// Stemmed: "decision boundaries" is the phrase too.
		if !strings.Contains(strings.ToLower(text(h)), "decision boundar") {
			t.Errorf("phrase hit without the phrase: %q", text(h))
		}
	}
	// An unbalanced quote is a phrase to the end.
	if got := mustSearch(t, `"decision boundary`, 1).Total; got != phrase.Total {
		t.Errorf("unbalanced phrase found %d, want %d", got, phrase.Total)
	}
}

func TestPrefix(t *testing.T) {
	res := mustSearch(t, "transf*", 1)
	if res.Total == 0 {
		t.Fatal("transf* matched nothing")
	}
	for _, h := range res.Hits {
		for _, m := range marked(h) {
			if !strings.HasPrefix(m, "transf") {
				t.Errorf("highlighted %q for transf*", m)
			}
		}
	}
	if exact := exactSearch(t, "transf").Total; exact != 0 {
		t.Errorf("transf without * found %d, want 0", exact)
	}
}

func TestOr(t *testing.T) {
	a := mustSearch(t, "kaggle", 1).Total
	b := mustSearch(t, "instagram", 1).Total
	either := mustSearch(t, "kaggle OR instagram", 1).Total
	if a == 0 || b == 0 || either != a+b {
		t.Errorf("kaggle %d + instagram %d, OR found %d", a, b, either)
	}
	// Lowercase "or" is an ordinary word, searched for; no line holds all
	// three words, so relaxed, the lines with either meaningful word are.
	if got := exactSearch(t, "kaggle or instagram").Total; got != 0 {
		t.Errorf("kaggle or instagram found %d, want 0 (all three words)", got)
	}
	if relaxed := mustSearch(t, "kaggle or instagram", 1); !relaxed.Relaxed || relaxed.Total != either {
		t.Errorf("relaxed, kaggle or instagram found %d (relaxed %v), want %d", relaxed.Total, relaxed.Relaxed, either)
	}
}

func TestExclusion(t *testing.T) {
	all := exactSearch(t, "contrastive").Total
	without := exactSearch(t, "contrastive -supervised")
	notWord := exactSearch(t, "contrastive NOT supervised")
	with := exactSearch(t, "contrastive supervised").Total
	if without.Total != all-with || notWord.Total != without.Total || with == 0 {
		t.Errorf("all %d, with %d, without %d, NOT %d", all, with, without.Total, notWord.Total)
	}
	for _, h := range without.Hits {
		if strings.Contains(strings.ToLower(text(h)), "supervised") {
			t.Errorf("excluded word in %q", text(h))
		}
	}
}

func TestPaging(t *testing.T) {
	first := mustSearch(t, "the", 1)
	if first.Total <= search.PerPage {
		t.Fatalf("the: %d hits, need more than a page", first.Total)
	}
	seen := map[int64]bool{}
	for p := 1; p <= first.Pages(); p++ {
		res := mustSearch(t, "the", p)
		want := min(search.PerPage, first.Total-(p-1)*search.PerPage)
		if len(res.Hits) != want {
			t.Errorf("page %d has %d hits, want %d", p, len(res.Hits), want)
		}
		for _, h := range res.Hits {
			if seen[h.SegmentID] {
				t.Errorf("segment %d on two pages", h.SegmentID)
			}
			seen[h.SegmentID] = true
		}
	}
	if len(seen) != first.Total {
		t.Errorf("paged through %d hits, total says %d", len(seen), first.Total)
	}
	past := mustSearch(t, "the", first.Pages()+1)
	if len(past.Hits) != 0 || past.Total != first.Total {
		t.Errorf("past the last page: %d hits, total %d", len(past.Hits), past.Total)
	}
	for _, p := range []int{0, -1, search.MaxGroupPage + 1} {
		if _, err := engine(t).Search(context.Background(), search.Request{Query: "the", Page: p}); !errors.Is(err, search.ErrBadQuery) {
			t.Errorf("page %d: err = %v, want ErrBadQuery", p, err)
		}
	}
}

// TestRanksByBM25: lines whose words stand together come first, each
// part in BM25 order.
func TestRanksByBM25(t *testing.T) {
	raw := sample(t).raw
	q := "the class"
	res := mustSearch(t, q, 1)
	if len(res.Hits) < 3 {
		t.Fatalf("%d hits, want several", len(res.Hits))
	}
	nearQ := res.Query
	nearQ.Near = 4
	prev, prevNear, nears := -1e300, true, 0
	for _, h := range res.Hits {
		var score float64
		if err := raw.QueryRow(`SELECT bm25(segments_fts) FROM segments_fts WHERE segments_fts MATCH ? AND rowid = ?`,
			catalog.MatchExpr(res.Query), h.SegmentID).Scan(&score); err != nil {
			t.Fatal(err)
		}
		var near int
		if err := raw.QueryRow(`SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ? AND rowid = ?`,
			catalog.MatchExpr(nearQ), h.SegmentID).Scan(&near); err != nil {
			t.Fatal(err)
		}
		switch {
		case near == 1 && !prevNear:
			t.Errorf("segment %d, its words together, ranked after one where they are apart", h.SegmentID)
		case near == 0 && prevNear:
			prev, prevNear = -1e300, false // the second part starts
		}
		nears += near
		if score < prev {
			t.Errorf("segment %d (bm25 %.3f) ranked after a worse one (%.3f)", h.SegmentID, score, prev)
		}
		prev = score
	}
	if nears == 0 || nears == len(res.Hits) {
		t.Errorf("%d of %d hits have the words together: pick a query with both kinds", nears, len(res.Hits))
	}
}

func TestRelevanceTable(t *testing.T) {
	for _, cols := range readTable(t, "testdata/relevance.tsv") {
		q, video := cols[0], cols[1]
		t.Run(q, func(t *testing.T) {
			res := mustSearch(t, q, 1)
			if len(res.Hits) == 0 {
				t.Fatalf("no hits")
			}
			top := res.Hits[0]
			if top.VideoID != video {
				t.Errorf("top video %s, want %s", top.VideoID, video)
			}
			if len(cols) > 2 && cols[2] != "" {
				if sec, _ := strconv.Atoi(cols[2]); top.Start != sec {
					t.Errorf("top moment at %ds, want %ds", top.Start, sec)
				}
			}
		})
	}
}

// readTable reads a tab-separated table, skipping blank and # lines.
func readTable(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			rows = append(rows, strings.Split(line, "\t"))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// oddQueries are things people type that are not our syntax. None may
// produce an error other than a reader-facing bad-query message.
var oddQueries = []string{
	`c++`, `what's`, `"unbalanced`, `unbalanced"`, `NEAR(`, `NEAR(a b, 3)`, `a AND`, `OR`, `OR a`, `a OR`,
	`NOT`, `a NOT`, `-`, `--a`, `- a`, `*`, `a**`, `*a`, `"*"`, `^a`, `a:b`, `text:hello`, `segments_fts:x`,
	`(a`, `a)`, `()`, `{a b}`, `[a]`, `'`, `''`, `""`, `"" ""`, `"a" "b`, `\`, `\"`, `a\`, `%`, `_`, `;`,
	`'; DROP TABLE segments; --`, `<script>alert(1)</script>`, `&amp;`, `😀`, `😀 learning`, `日本語`,
	`naïve café`, "\u0301", "a\x00b", "\t\n", `1 + 1 = 2`, `x^2`, `@user #tag`, `https://www.youtube.com/watch?v=MpdbFLXOOIw&t=838s`,
	`AND OR NOT`, `"NEAR"`, `rank`, `bm25(segments_fts)`, `a -b -c -d`, `-"a b"`, `"a b"*`, `word*suffix`,
	strings.Repeat("learning ", 400), strings.Repeat("x", 3000), strings.Repeat(`"`, 99), strings.Repeat("(", 500),
}

func TestOddQueriesNeverError(t *testing.T) {
	for _, q := range oddQueries {
		_, err := engine(t).Search(context.Background(), search.Request{Query: q, Page: 1})
		if err != nil && !errors.Is(err, search.ErrBadQuery) {
			t.Errorf("Search(%.40q): %v", q, err)
		}
		if reason, ok := search.IsBadQuery(err); ok && reason == "" {
			t.Errorf("Search(%.40q): bad query without a reason", q)
		}
	}
}

func TestTimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := engine(t).Search(ctx, search.Request{Query: "learning", Page: 1}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled search: err = %v", err)
	}
}

func FuzzSearch(f *testing.F) {
	for _, q := range oddQueries {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		_, err := engine(t).Search(context.Background(), search.Request{Query: q, Page: 1})
		if err != nil && !errors.Is(err, search.ErrBadQuery) {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if reason, ok := search.IsBadQuery(err); ok && strings.Contains(reason, "could not be searched") {
			t.Fatalf("Search(%q) reached FTS5 as bad syntax: %v", q, err)
		}
	})
}

// TestConcurrentSearchesShareStatements runs searches from many goroutines
// on one engine, its statements prepared as they go: each gets what it
// gets alone.
func TestConcurrentSearchesShareStatements(t *testing.T) {
	index := sample(t).index
	ctx := context.Background()
	queries := []string{"the", "augmentation", "learning", "data", "model", "mixup"}
	want := map[string]int{}
	for _, q := range queries {
		res, err := search.New(index, 10*time.Second).Search(ctx, search.Request{Query: q, Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		want[q] = res.Total
	}
	e := search.New(index, 10*time.Second)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for j := range 10 {
				q := queries[(i+j)%len(queries)]
				res, err := e.Search(ctx, search.Request{Query: q, Page: 1})
				if err != nil || res.Total != want[q] {
					t.Errorf("%q: %d matches (%v), want %d", q, res.Total, err, want[q])
					return
				}
			}
		})
	}
	wg.Wait()
}
