package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/internal/search"
)

// TestReplicaFollowsThePrimary imports through the primary and reads a
// streaming replica (pg_basebackup -R): the replica catches up, and a
// reader of it polling all along sees the catalog before the import or
// after it, never a part of it.
func TestReplicaFollowsThePrimary(t *testing.T) {
	primary, primaryURL := open(t)
	ctx := context.Background()
	load(t, primary)
	replica := cluster.Replica(t)
	u, err := url.Parse(primaryURL)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := postgres.Open(ctx, replica.URL(strings.TrimPrefix(u.Path, "/")))
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()

	type state struct {
		version  int64
		totals   catalog.Totals
		matching int // segments saying the import's word
	}
	q, _ := search.Parse("wombat")
	x := postgres.NewIndex(reader)
	read := func() (state, error) {
		v, err := reader.Version(ctx)
		if err != nil {
			return state{}, err
		}
		tot, err := reader.Totals(ctx)
		if err != nil {
			return state{}, err
		}
		ps, err := x.Matches(ctx, q, search.Filter{}, 10_000)
		return state{v.N, tot, len(ps)}, err
	}
	before := waitFor(t, read, func(s state) bool { return s.totals.Segments == 100 })

	// A reader polls the replica while the primary imports 3,000 lines.
	var rows []string
	for v := range 30 {
		for i := range 100 {
			rows = append(rows, row(fmt.Sprintf("wombat_%04d", v), i*10, fmt.Sprintf("a wombat line %d of video %d", i, v), "Wombats"))
		}
	}
	stop := make(chan struct{})
	var seen []state
	var readErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			s, err := read()
			if err != nil {
				readErr = err
				return
			}
			seen = append(seen, s)
		}
	}()
	if _, err := primary.Import(ctx, ingest.JSONLines(strings.NewReader(strings.Join(rows, "\n")), "wombats.jsonl"), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	want, err := primary.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after := waitFor(t, read, func(s state) bool { return s.version == want.N })
	close(stop)
	wg.Wait()
	if readErr != nil {
		t.Fatal(readErr)
	}
	if after.totals != (catalog.Totals{Videos: 34, Segments: 3100}) || after.matching != 3000 {
		t.Errorf("the replica after the import: %+v", after)
	}
	for _, s := range seen {
		// Each read is one statement, which sees all of the import or
		// none of it; the three are apart, so a commit replayed between
		// them may leave one before and the next after.
		if s.totals != before.totals && s.totals != after.totals || s.matching != before.matching && s.matching != after.matching {
			t.Fatalf("a reader of the replica saw part of an import: %+v (before %+v, after %+v)", s, before, after)
		}
	}
	t.Logf("%d reads of the replica during the import", len(seen))

	if _, err := reader.Import(ctx, ingest.JSONLines(strings.NewReader(row("replica_wr1", 0, "no", "")), "x.jsonl"), catalog.ImportOptions{}); err == nil {
		t.Error("an import into the replica succeeded")
	}
}

// waitFor reads until ok, for up to 20 seconds.
func waitFor[S any](t *testing.T, read func() (S, error), ok func(S) bool) S {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s, err := read()
		if err != nil {
			t.Fatal(err)
		}
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica did not catch up: %+v", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
