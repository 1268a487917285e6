package relevance_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/pgtest"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/internal/relevance"
	"github.com/transcripts/site/internal/search"
)

// thresholds are the floors (and, for repeated text, ceilings) the
// relevance tests hold search to: today's figures less a small margin
// (RELEVANCE.md). When a change raises a figure, raise its floor in the
// same commit; never lower one to let a change through.
var thresholds = []struct {
	corpus, metric string
	atLeast        float64
	atMost         float64
}{
	{"fixture", "MRR bare", 0.85, 1},                                       // 0.873 (0.881 before proximity ranking)
	{"fixture", "MRR question", 0.85, 1},                                   // 0.873 with relaxation (0.017 when every word was required)
	{"fixture", "MRR typo", 0.8, 1},                                        // 0.820 with correction (0.000 before)
	{"fixture", "repeated share top 10", 0, 0.10},                          // 0.050 with repeated text ranked last and folded (0.263 before)
	{"fixture", "repeated precision", 0.85, 1},                             // 0.903
	{"fixture", "repeated recall", 0.9, 1},                                 // 0.957
	{"fixture", "on topic top 10: advice for first time managers", 10, 10}, // 10 (7 before relaxation)
	{"fixture", "on topic top 10: how should I price my product", 10, 10},  // 10 (2 before)
	{"earnings21", "MRR bare", 0.95, 1},                                    // 0.982
	{"earnings21", "MRR question", 0.95, 1},                                // 0.982 (0.000 before)
	{"earnings21", "MRR typo", 0.9, 1},                                     // 0.95 (0.000 before)
	{"earnings21", "repeated share top 10", 0, 0.30},                       // 0.270
}

// Sizes of the measurements.
const (
	knownItems  = 120 // targets; each is searched in every shape
	sharedWords = 30  // the words most shared between repeated text and conversation
	// TopN is how many first hits the repeated-text share looks at.
	TopN = relevance.TopN
	// minConversation is how many segments of conversation a shared word
	// needs: enough to fill a first page without repeated text.
	minConversation = TopN
	searchTimeout   = 10 * time.Second
)

var (
	fixtureOut = flag.String("fixture-out", "", "write the fixture's JSON Lines to this file too (to serve or benchmark it)")
	earnings21 = flag.String("earnings21", "", "Earnings-21 JSON Lines (default: $EARNINGS21, else ../shared/data/earnings21/earnings21.jsonl beside the repository, else /work/shared/...)")
)

// store is what the measurements read of an imported collection, on
// either backend.
type store interface {
	Import(ctx context.Context, records iter.Seq2[catalog.Record, error], opts catalog.ImportOptions) (catalog.ImportStats, error)
	Transcript(ctx context.Context, videoID string) ([]catalog.Segment, error)
	RepeatedIn(ctx context.Context, videoID string) (map[int64]catalog.Repeat, error)
	Close() error
}

// cluster is the PostgreSQL server of the tests (TestMain), nil when
// PostgreSQL is not installed here: then the suite measures SQLite only.
var cluster *pgtest.Cluster

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, func(c *pgtest.Cluster) { cluster = c }))
}

// forEachBackend runs measure as a subtest on each backend: SQLite, and
// PostgreSQL when a cluster runs (always in CI).
func forEachBackend(t *testing.T, measure func(t *testing.T, open func(t *testing.T) (store, search.Index))) {
	t.Run("sqlite", func(t *testing.T) {
		measure(t, func(t *testing.T) (store, search.Index) {
			cat, err := catalog.Open(context.Background(), filepath.Join(t.TempDir(), "relevance.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cat.Close() })
			return cat, catalog.NewIndex(cat)
		})
	})
	t.Run("postgres", func(t *testing.T) {
		if cluster == nil {
			t.Skip("PostgreSQL is not installed (apt-get install postgresql): measuring SQLite only")
		}
		measure(t, func(t *testing.T) (store, search.Index) {
			st, err := postgres.Open(context.Background(), cluster.NewDatabase(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return st, postgres.NewIndex(st)
		})
	})
}

// importCatalog imports the JSON Lines at path through the real reader and
// importer into a new store that open makes, and returns it with the
// search engine over it: the one place the tests construct one.
func importCatalog(t *testing.T, path string, open func(t *testing.T) (store, search.Index)) (store, *search.Engine) {
	t.Helper()
	ctx := context.Background()
	cat, index := open(t)
	records, _, err := ingest.Read([]string{path}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Import(ctx, records, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return cat, search.New(index, searchTimeout)
}

// searcher returns a SearchFunc over e (group none, as many pages as the
// limit needs).
func searcher(e *search.Engine) relevance.SearchFunc {
	return func(ctx context.Context, q string, limit int) ([]relevance.Hit, error) {
		var hits []relevance.Hit
		for page := 1; len(hits) < limit; page++ {
			res, err := e.Search(ctx, search.Request{Query: q, Page: page, Group: search.GroupNone})
			if errors.Is(err, search.ErrBadQuery) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			for _, h := range res.Hits {
				hits = append(hits, relevance.Hit{VideoID: h.VideoID, Start: h.Start})
			}
			if page >= res.Pages() {
				break
			}
		}
		return hits[:min(len(hits), limit)], nil
	}
}

// measurement is one corpus's figures, by metric name, and the lines of
// its table.
type measurement struct {
	corpus string
	values map[string]float64
	lines  []string
}

func (m *measurement) set(metric string, v float64) { m.values[metric] = v }
func (m *measurement) logf(format string, args ...any) {
	m.lines = append(m.lines, fmt.Sprintf(format, args...))
}

// check holds m to the thresholds of its corpus.
func (m *measurement) check(t *testing.T) {
	t.Helper()
	names := slices.Sorted(maps.Keys(m.values))
	var figures []string
	for _, n := range names {
		figures = append(figures, fmt.Sprintf("%s %.3f", n, m.values[n]))
	}
	m.logf("figures: %s", strings.Join(figures, "; "))
	t.Log("\n" + strings.Join(m.lines, "\n"))
	for _, th := range thresholds {
		if th.corpus != m.corpus {
			continue
		}
		v, ok := m.values[th.metric]
		switch {
		case !ok:
			t.Errorf("%s: %s was not measured", m.corpus, th.metric)
		case v < th.atLeast:
			t.Errorf("%s: %s is %.3f, below its floor %.3f", m.corpus, th.metric, v, th.atLeast)
		case v > th.atMost:
			t.Errorf("%s: %s is %.3f, above its ceiling %.3f", m.corpus, th.metric, v, th.atMost)
		}
	}
}

// measure runs the known-item queries and the shared words of c over an
// engine whose catalog holds c.
func measure(t *testing.T, name string, c relevance.Corpus, e *search.Engine) *measurement {
	t.Helper()
	ctx := context.Background()
	m := &measurement{corpus: name, values: map[string]float64{}}
	fn := searcher(e)

	began := time.Now()
	items := relevance.KnownItems(c, knownItems, relevance.DefaultSeed)
	if len(items) < 60 {
		t.Fatalf("%s: only %d known items", name, len(items))
	}
	outcomes, err := relevance.RunKnownItems(ctx, fn, items)
	if err != nil {
		t.Fatal(err)
	}
	repeated := 0
	for _, s := range c {
		if s.Kind.Repeated() {
			repeated++
		}
	}
	m.logf("%s: %d segments of %d videos, %d of them repeated text; %d known items, a hit within %d s of the target among the first %d, group=none",
		name, len(c), c.Videos(), repeated, len(items), relevance.Window, relevance.Depth)
	m.logf("| shape | queries | MRR | found in %d | ranked first |", relevance.Depth)
	m.logf("|---|---|---|---|---|")
	for _, s := range relevance.Scores(outcomes) {
		m.set("MRR "+string(s.Shape), s.MRR)
		m.logf("| %s | %d | %.2f | %d | %d |", s.Shape, s.Queries, s.MRR, s.Found, s.First)
	}
	if testing.Verbose() {
		m.logf("examples (target → rank; 0 is a miss):")
		for _, o := range outcomes[:min(len(outcomes), 9)] {
			m.logf("  %-8s %q → %d", o.Shape, o.Query, o.Rank)
		}
	}

	words := relevance.SharedWords(c, sharedWords, minConversation)
	shares, err := relevance.RunShared(ctx, fn, c, words)
	if err != nil {
		t.Fatal(err)
	}
	pooled := relevance.PooledShare(shares)
	m.set("repeated share top 10", pooled)
	m.logf("repeated text in the top %d hits of the %d words most shared with conversation (each said in ≥ %d segments of conversation): %.0f %%; half or more for %d words",
		TopN, len(shares), minConversation, 100*pooled, relevance.HalfOrMore(shares))
	var worst []string
	for _, w := range shares {
		if 2*w.RepeatedHits >= w.Hits && w.Hits > 0 {
			worst = append(worst, fmt.Sprintf("%s %d/%d (%d repeated, %d conversation segments)", w.Word, w.RepeatedHits, w.Hits, w.Repeated, w.Conversation))
		}
	}
	if len(worst) > 0 {
		m.logf("  half or more: %s", strings.Join(worst, "; "))
	}
	m.logf("search: %d queries in %.1fs", len(outcomes)+len(shares), time.Since(began).Seconds())
	return m
}

// TestRelevance measures search on the podcast fixture: known-item MRR by
// query shape (issue 12), the named queries, and the share of sponsor
// reads, intros and outros among the first hits of words they share with
// conversation (issue 13).
//
//	go test ./internal/relevance -run TestRelevance -v
func TestRelevance(t *testing.T) {
	began := time.Now()
	c := relevance.Generate(relevance.DefaultSeed)
	path := filepath.Join(t.TempDir(), "fixture.jsonl")
	writeJSONL(t, path, c)
	if *fixtureOut != "" {
		writeJSONL(t, *fixtureOut, c)
	}
	t.Logf("fixture generated in %.1fs", time.Since(began).Seconds())
	forEachBackend(t, func(t *testing.T, open func(t *testing.T) (store, search.Index)) {
		began := time.Now()
		cat, e := importCatalog(t, path, open)
		t.Logf("fixture imported in %.1fs", time.Since(began).Seconds())
		fixtureMeasures(t, c, cat, e)
	})
}

// fixtureMeasures measures search of the fixture c imported into cat.
func fixtureMeasures(t *testing.T, c relevance.Corpus, cat store, e *search.Engine) {
	m := measure(t, "fixture", c, e)
	detection(t, m, c, cat)

	fn := searcher(e)
	m.logf("named queries (conversation on the topic among the first %d hits):", TopN)
	for _, nq := range relevance.NamedQueries {
		hits, err := fn(context.Background(), nq.Query, TopN)
		if err != nil {
			t.Fatal(err)
		}
		on := relevance.OnTopic(c, hits, nq.Topic)
		m.set("on topic top 10: "+nq.Query, float64(on))
		m.logf("  %q: %d hits, %d on %s", nq.Query, len(hits), on, nq.Topic)
	}
	compliance := relevance.SharedWords(c, 1000, 1)
	for _, w := range compliance {
		if w.Word != "compliance" {
			continue
		}
		s, err := relevance.RunShared(context.Background(), fn, c, []relevance.SharedWord{w})
		if err != nil {
			t.Fatal(err)
		}
		m.logf("  %q: %d of the first %d hits are repeated text (%d repeated, %d conversation segments say it)",
			w.Word, s[0].RepeatedHits, s[0].Hits, w.Repeated, w.Conversation)
	}
	m.check(t)
}

// TestRelevanceEarnings21 measures the same on a real corpus, Earnings-21
// (44 earnings calls; see its README), when it is at hand. Its repeated
// text is the operator's script and the forward-looking-statements
// notices (relevance.LabelEarnings). It is never copied into the
// repository (CC BY-SA).
func TestRelevanceEarnings21(t *testing.T) {
	path := earnings21Path()
	if path == "" {
		t.Skip("Earnings-21 not found: set EARNINGS21 or -earnings21 to its earnings21.jsonl to measure on it")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := relevance.ReadJSONL(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	c = relevance.LabelEarnings(c)
	forEachBackend(t, func(t *testing.T, open func(t *testing.T) (store, search.Index)) {
		cat, e := importCatalog(t, path, open)
		m := measure(t, "earnings21", c, e)
		detection(t, m, c, cat)
		m.check(t)
	})
}

// detection measures how the catalog's repeated-text marks agree with
// the ground truth, segment by segment: the share of marked segments that
// are repeated text (precision) and of repeated text that is marked
// (recall).
func detection(t *testing.T, m *measurement, c relevance.Corpus, cat store) {
	t.Helper()
	ctx := context.Background()
	type at struct {
		video string
		start int
	}
	truth := map[at]bool{}
	videos := map[string]bool{}
	for _, s := range c {
		truth[at{s.VideoID, s.Start}] = s.Kind.Repeated()
		videos[s.VideoID] = true
	}
	var marked, right, repeated int
	for _, s := range c {
		if s.Kind.Repeated() {
			repeated++
		}
	}
	for v := range videos {
		segs, err := cat.Transcript(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		reps, err := cat.RepeatedIn(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		for _, seg := range segs {
			if _, ok := reps[seg.ID]; ok {
				marked++
				if truth[at{v, seg.Start}] {
					right++
				}
			}
		}
	}
	precision, recall := 0.0, 0.0
	if marked > 0 {
		precision = float64(right) / float64(marked)
	}
	if repeated > 0 {
		recall = float64(right) / float64(repeated)
	}
	m.set("repeated precision", precision)
	m.set("repeated recall", recall)
	m.logf("repeated text marked at import: %d segments, %d of them repeated text (precision %.2f); %d of %d repeated segments marked (recall %.2f)",
		marked, right, precision, right, repeated, recall)
}

func earnings21Path() string {
	candidates := []string{*earnings21, os.Getenv("EARNINGS21"),
		"../../../shared/data/earnings21/earnings21.jsonl", "/work/shared/data/earnings21/earnings21.jsonl"}
	for _, p := range candidates {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func writeJSONL(t *testing.T, path string, c relevance.Corpus) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.WriteJSONL(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
