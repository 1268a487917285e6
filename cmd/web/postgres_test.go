package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/fetch/fetchtest"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/pgtest"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/internal/search"
)

// pgCluster is the test's own PostgreSQL cluster (these tests run
// whatever WEB_TEST_BACKEND says).
func pgCluster(t *testing.T) *pgtest.Cluster {
	t.Helper()
	if testPostgres != nil {
		return testPostgres
	}
	return pgtest.Start(t)
}

// TestCommandsOnPostgres runs web import, stats, repeats and delete with
// -db naming a PostgreSQL database: every import format reads as it does
// into SQLite, and a SQLite database imports whole.
func TestCommandsOnPostgres(t *testing.T) {
	c := pgCluster(t)
	db := c.NewDatabase(t)
	// The URL as an operator writes it, with a password: never printed.
	u, _ := url.Parse(db)
	u.User = url.UserPassword("postgres", "s3cret-pw")
	db = u.String()

	lite := filepath.Join(t.TempDir(), "all.db")
	for _, target := range []string{lite, db} {
		out, err := runCmd(t, "import", "-db", target, "../../internal/ingest/testdata")
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, want := range []string{"imported 61 segments of 13 videos from 22 file(s)", "videos: 13 added, 0 updated", "segments: 38 new, 0 changed, 23 unchanged"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: summary lacks %q:\n%s", target, want, out)
			}
		}
		if strings.Contains(out, "s3cret-pw") {
			t.Errorf("the password is printed:\n%s", out)
		}
	}
	out, err := runCmd(t, "stats", "-db", db)
	if err != nil || !strings.Contains(out, "videos       13\nsegments     38\n") || strings.Contains(out, "s3cret-pw") {
		t.Errorf("stats: %v\n%s", err, out)
	}

	// A bad row: nothing lands, and the message says so.
	bad := writeFile(t, "bad.jsonl", row("newvideo_01", 0, 10, "fresh", "New")+"\n"+`{"video_id":"newvideo_01","start_second":"x"}`)
	out, err = runCmd(t, "import", "-db", db, bad)
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") || !strings.Contains(err.Error(), "bad.jsonl:2") {
		t.Errorf("import of a bad row: %v\n%s", err, out)
	}

	// The SQLite collection copied into another database, whole.
	copyDB := c.NewDatabase(t)
	if out, err := runCmd(t, "import", "-db", copyDB, lite); err != nil || !strings.Contains(out, "imported 38 segments of 13 videos") {
		t.Fatalf("import of a SQLite database: %v\n%s", err, out)
	}
	ctx := context.Background()
	from, err := catalog.OpenReadOnly(ctx, lite)
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	to, err := postgres.Open(ctx, copyDB)
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	videos := sameCollection(t, from, to)

	if out, err := runCmd(t, "delete", "-db", db, videos[0].ID); err != nil || !strings.Contains(out, "deleted 1 video") {
		t.Errorf("delete: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "delete", "-db", db, "nosuchvideo"); err == nil {
		t.Errorf("delete of an unknown video succeeded:\n%s", out)
	}
}

// TestServingAReplica serves pages from a streaming replica while imports
// go to the primary: a page cached before an import is served until the
// replica has replayed it, then the new catalog is, with a new ETag.
func TestServingAReplica(t *testing.T) {
	c := pgCluster(t)
	ctx := context.Background()
	db := c.NewDatabase(t)
	primary, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Close()
	if _, err := primary.Import(ctx, ingest.JSONLines(strings.NewReader(row("MpdbFLXOOIw", 0, 10, "the first line", "First")), "a.jsonl"), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	replica := c.Replica(t)
	u, _ := url.Parse(db)
	reader, err := postgres.Open(ctx, replica.URL(strings.TrimPrefix(u.Path, "/")))
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	cfg := Config{SearchTimeout: testSearchTimeout, CacheBytes: 8 << 20}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if tot, err := reader.Totals(ctx); err == nil && tot.Videos == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the replica never caught up with the first import")
		}
	}
	srv, err := newServer(cfg, reader, search.New(postgres.NewIndex(reader), cfg.SearchTimeout), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h := srv.fromCache(srv.app())
	get := func() (*goquery.Document, string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/search?q=wombat", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		return doc, rec.Header().Get("ETag")
	}
	doc, before := get()
	if doc.Find("mark").Length() != 0 || before == "" {
		t.Fatalf("wombat found before its import, or no ETag %q", before)
	}
	if _, err := primary.Import(ctx, ingest.JSONLines(strings.NewReader(row("1L83tM8nwHU", 0, 10, "a wombat speaks", "Second")), "b.jsonl"), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		doc, etag := get()
		if doc.Find("mark").Length() > 0 {
			if etag == before {
				t.Errorf("the new results have the old ETag %s", etag)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the node never served what the replica replayed: its cached page outlived the import")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestFetchIntoPostgres fetches a channel into a PostgreSQL database, its
// files in the folder -cache names, then checks it again with -update.
func TestFetchIntoPostgres(t *testing.T) {
	ctx := context.Background()
	db := pgCluster(t).NewDatabase(t)
	channel := []string{vOwn, vAuto, vUnicode}
	ytdlp := fetchtest.New(t, channelWorld(channel...))
	if out, err := fetchRun(t, ctx, "-db", db, "-yt-dlp", ytdlp.Path, chanURL); err == nil || !strings.Contains(err.Error(), "-cache DIR") {
		t.Errorf("fetch into PostgreSQL without -cache: %v\n%s", err, out)
	}
	cache := filepath.Join(t.TempDir(), "cache")
	out, err := fetchRun(t, ctx, "-db", db, "-cache", cache, "-yt-dlp", ytdlp.Path, chanURL)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantOutput(t, out, "imported 4 segments of 4 videos: 4 added")
	st, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v, err := st.Video(ctx, vUnicode); err != nil || v.Title != "Grüße aus Köln / 日本語 🎉" {
		t.Errorf("title from the .info.json: %v %+v", err, v)
	}
	if v, err := st.Video(ctx, vOwn); err != nil || v.Channel != "Chan" || v.Published.Format(time.DateOnly) != "2024-01-02" {
		t.Errorf("metadata from the .info.json: %v %+v", err, v)
	}
	ytdlp.SetWorld(t, channelWorld(append(channel, vNew)...))
	out, err = fetchRun(t, ctx, "-db", db, "-cache", cache, "-yt-dlp", ytdlp.Path, "-update")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantOutput(t, out, "imported 1 segments of 1 videos: 1 added")
	srcs, err := st.Sources(ctx)
	if err != nil || len(srcs) != 1 || srcs[0].URL != chanURL || srcs[0].Title != "Chan" {
		t.Errorf("sources %+v, %v", srcs, err)
	}
	if tot, _ := st.Totals(ctx); tot.Videos != 5 {
		t.Errorf("totals %+v", tot)
	}
}

// TestPostgresDownIsAnswered503 stops the database under a serving node:
// pages answer 503 "try again" and /healthz fails, never a 500; commands
// that read refuse a database without a catalog rather than create one.
func TestPostgresDownIsAnswered503(t *testing.T) {
	c := pgtest.Start(t) // its own: it is stopped below
	db := c.NewDatabase(t)
	if out, err := runCmd(t, "stats", "-db", db); err == nil || !strings.Contains(err.Error(), "holds no catalog") {
		t.Errorf("stats of an empty database: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "import", "-db", db, "../../data/sample.jsonl"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ctx := context.Background()
	st, err := postgres.Open(ctx, db, postgres.Existing())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := Config{SearchTimeout: testSearchTimeout}
	srv, err := newServer(cfg, st, search.New(postgres.NewIndex(st), cfg.SearchTimeout), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h := srv.fromCache(srv.app())
	get := func(path string) int {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
	if code := get("/search?q=learning"); code != http.StatusOK {
		t.Fatalf("status %d with the database up", code)
	}
	c.Stop()
	for _, path := range []string{"/", "/search?q=contrastive", "/videos/MpdbFLXOOIw", "/healthz"} {
		if code := get(path); code != http.StatusServiceUnavailable {
			t.Errorf("%s: status %d with the database down, want 503", path, code)
		}
	}
}
