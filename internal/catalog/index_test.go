package catalog_test

import (
	"bytes"
	"context"
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
