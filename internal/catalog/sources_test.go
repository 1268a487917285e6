package catalog_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
)

// migrationFiles returns the newest migration's number and how many there
// are, read from the migrations folder, so tests keep up as migrations are
// added (numbers may have gaps while migrations are written in parallel).
func migrationFiles(t *testing.T) (newest, count int) {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		n, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("migration %s: %v", e.Name(), err)
		}
		newest, count = max(newest, n), count+1
	}
	return newest, count
}

func TestSourcesRemembered(t *testing.T) {
	ctx := context.Background()
	c, path := openTemp(t)
	if srcs, err := c.Sources(ctx); err != nil || len(srcs) != 0 {
		t.Fatalf("a new catalog's sources: %v, %v", srcs, err)
	}
	day1 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	day2 := day1.Add(24 * time.Hour)
	for _, s := range []catalog.Source{
		{URL: "https://www.youtube.com/@chan", Kind: catalog.SourceChannel, Title: "Chan", LastCheckedAt: day1},
		{URL: "https://www.youtube.com/playlist?list=PL1", Kind: catalog.SourcePlaylist, LastCheckedAt: day1.Add(time.Hour)},
		// Checked again: the check time moves, the title stays when none is given.
		{URL: "https://www.youtube.com/@chan", Kind: catalog.SourceChannel, LastCheckedAt: day2},
	} {
		if err := c.CheckedSource(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.CheckedSource(ctx, catalog.Source{URL: "x", Kind: "video"}); err == nil {
		t.Error("a source of kind video was kept")
	}
	c.Close()
	c, err := catalog.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	srcs, err := c.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Source{
		{URL: "https://www.youtube.com/@chan", Kind: catalog.SourceChannel, Title: "Chan", AddedAt: day1, LastCheckedAt: day2},
		{URL: "https://www.youtube.com/playlist?list=PL1", Kind: catalog.SourcePlaylist, AddedAt: day1.Add(time.Hour), LastCheckedAt: day1.Add(time.Hour)},
	}
	if len(srcs) != len(want) {
		t.Fatalf("sources %+v, want %+v", srcs, want)
	}
	for i := range want {
		if srcs[i] != want[i] {
			t.Errorf("source %d: %+v, want %+v", i, srcs[i], want[i])
		}
	}
}

func TestExistingVideos(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	if _, err := c.Import(ctx, records(seg(vidA, 0, 10, "hello"), seg(vidB, 0, 10, "world")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	ids := []string{vidA, "notthereyet", vidB, `it's "odd"`}
	for i := range 2000 {
		ids = append(ids, "x"+strconv.Itoa(i))
	}
	have, err := c.ExistingVideos(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(have) != 2 || !have[vidA] || !have[vidB] {
		t.Errorf("existing = %v", have)
	}
	if have, err := c.ExistingVideos(ctx, nil); err != nil || len(have) != 0 {
		t.Errorf("no ids: %v, %v", have, err)
	}
}
