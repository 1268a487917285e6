package search_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
)

// benchEngine searches TRANSCRIPTS_BENCH_DB (a database built with
// web import from ../shared/bench's corpus) or, without it, the sample.
func benchEngine(b *testing.B) *search.Engine {
	b.Helper()
	path := os.Getenv("TRANSCRIPTS_BENCH_DB")
	if path == "" {
		return engine(b)
	}
	c, err := catalog.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return search.New(catalog.NewIndex(c), time.Minute)
}

// BenchmarkSearch times one results page (count, top 20 by BM25, snippets)
// per query class of ../shared/bench/README.md.
func BenchmarkSearch(b *testing.B) {
	e := benchEngine(b)
	for _, q := range []struct{ class, query string }{
		{"rare", "cronpram"},
		{"mid", "mixup"},
		{"and", "gradient descent"},
		{"phrase", `"neural network"`},
		{"prefix", "trans*"},
		{"common", "network"},
		{"verycommon", "the"},
	} {
		b.Run(q.class, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Search(context.Background(), search.Request{Query: q.query, Page: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
