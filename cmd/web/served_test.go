package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/search"
)

// newServedApp serves the database at path as serveCmd does (read-only),
// reading the catalog version on every request.
func newServedApp(t *testing.T, path string) *testApp {
	t.Helper()
	cat, err := catalog.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cat.Close() })
	app := &testApp{catalog: cat, logs: &bytes.Buffer{}}
	srv, err := newServer(Config{SearchTimeout: testSearchTimeout, CacheBytes: 8 << 20}, cat, search.New(catalog.NewIndex(cat), testSearchTimeout), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	app.server, app.echo = srv, srv.app()
	app.handler = srv.fromCache(app.echo)
	return app
}

// TestServedDatabaseRemovedOrReplaced: a removed database makes /healthz
// fail and every page a 503, and creates nothing at its path; a new file
// moved into place is served from the next request on (issue 16, item 2).
func TestServedDatabaseRemovedOrReplaced(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	if out, err := runCmd(t, "import", "-db", live, "../../data/sample.jsonl"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	next := filepath.Join(dir, "next.db")
	if out, err := runCmd(t, "import", "-db", next, writeFile(t, "good.jsonl", goodRows)); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	app := newServedApp(t, live)
	if _, body := app.getWith(t, "/videos.json", nil); !strings.Contains(body, `"total":4`) {
		t.Fatalf("before: %.200s", body)
	}
	app.getWith(t, "/search?q=contrastive", nil) // connections to the old file in the pool

	removeDB(live)
	for target, wantType := range map[string]string{
		"/healthz": "text/plain", "/search?q=contrastive": "text/html", "/search?q=boundary": "text/html",
		"/search.json?q=learning": "application/json", "/search.csv?q=learning": "text/plain",
		"/": "text/html", "/videos/MpdbFLXOOIw": "text/html",
	} {
		resp, body := app.getWith(t, target, nil)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(resp.Header.Get("Content-Type"), wantType) {
			t.Errorf("GET %s with the database removed: %d %s %.100q", target, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	if _, err := os.Stat(live); !os.IsNotExist(err) {
		t.Errorf("a database was created at the served path: %v", err)
	}

	if err := os.Rename(next, live); err != nil {
		t.Fatal(err)
	}
	if resp, _ := app.getWith(t, "/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz after a new file was moved into place: %d", resp.StatusCode)
	}
	if _, body := app.getWith(t, "/videos.json", nil); !strings.Contains(body, `"total":2`) {
		t.Errorf("after the move: %.200s", body)
	}

	// Replaced while present: built beside it and moved over it.
	again := filepath.Join(dir, "again.db")
	if out, err := runCmd(t, "import", "-db", again, "../../data/sample.jsonl"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if err := os.Rename(again, live); err != nil {
		t.Fatal(err)
	}
	if _, body := app.getWith(t, "/search.json?q=contrastive", nil); !strings.Contains(body, "MpdbFLXOOIw") {
		t.Errorf("search after the second move: %.200s", body)
	}
	if _, body := app.getWith(t, "/videos.json", nil); !strings.Contains(body, `"total":4`) {
		t.Errorf("after the second move: %.200s", body)
	}
}

// TestServeStartsWhileAnImportHoldsTheLock: a database whose schema is
// current is served without writing, so a writer holding the lock does not
// stop the server from starting (issue 16, item 6).
func TestServeStartsWhileAnImportHoldsTheLock(t *testing.T) {
	db := sampleDB(t)
	w, err := sql.Open("sqlite", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	conn, err := w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")
	addr, logs, stop := serveInBackground(t, []string{"-addr", "127.0.0.1:0", "-db", db}, noEnv)
	defer stop()
	resp, err := http.Get("http://" + addr + "/search?q=contrastive")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("search while the write lock is held: %d\n%s", resp.StatusCode, logs)
	}
	if out, err := runCmd(t, "stats", "-db", db); err != nil || !strings.Contains(out, "videos       4") {
		t.Errorf("stats while the write lock is held: %v\n%s", err, out)
	}
}

// TestDatabasePathsWithURICharacters: # and ? are part of a file name,
// not the start of a URI fragment or query (issue 16, item 8).
func TestDatabasePathsWithURICharacters(t *testing.T) {
	for _, name := range []string{"a#b.db", "a?b.db", "100%.db", "with space.db"} {
		dir := t.TempDir()
		db := filepath.Join(dir, name)
		if out, err := runCmd(t, "import", "-db", db, writeFile(t, "good.jsonl", goodRows)); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if len(names) != 1 || names[0] != name {
			t.Errorf("import -db %s wrote %v", name, names)
		}
		if out, err := runCmd(t, "stats", "-db", db); err != nil || !strings.Contains(out, "videos       2") {
			t.Errorf("stats -db %s: %v\n%s", name, err, out)
		}
	}
}

// TestImportsLeaveNoLargeLog: with the site holding the database open, an
// import that fails or succeeds leaves the write-ahead log truncated, and
// the serving catalog's checkpoint truncates one another writer left
// (issue 16, item 11).
func TestImportsLeaveNoLargeLog(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 20,000 rows")
	}
	db := sampleDB(t)
	ctx := context.Background()
	served, err := catalog.OpenReadOnly(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer served.Close()
	walSize := func() int64 {
		info, err := os.Stat(db + "-wal")
		if err != nil {
			return 0
		}
		return info.Size()
	}
	big := bigJSONL(t, 20_000)
	bad := writeFile(t, "bad.jsonl", `{"video_id":"short","text":"x","start_second":1,"end_second":2}`+"\n")
	if _, err := runCmd(t, "import", "-db", db, big, bad); err == nil {
		t.Fatal("the bad import succeeded")
	}
	if n := walSize(); n != 0 {
		t.Errorf("after a failed import the log is %d bytes", n)
	}
	if out, err := runCmd(t, "import", "-db", db, big); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := walSize(); n != 0 {
		t.Errorf("after an import the log is %d bytes", n)
	}

	// A writer that does not checkpoint (another tool, an older import).
	w, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Exec(`PRAGMA wal_autocheckpoint = 0; UPDATE segments SET text = text || ' ' WHERE id % 2 = 0`); err != nil {
		t.Fatal(err)
	}
	if walSize() == 0 {
		t.Fatal("the writer left no log to checkpoint")
	}
	if err := served.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if n := walSize(); n != 0 {
		t.Errorf("after the serving catalog's checkpoint the log is %d bytes", n)
	}
}

// TestReadOnlyDirectoryServes: a database in a directory the server's user
// cannot write (a root-owned bind mount, a read-only volume) is served and
// its stats read, by a real process running as the distroless image's
// nonroot user (issue 16, item 7). It needs root, to start that process.
func TestReadOnlyDirectoryServes(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the server as another user")
	}
	base := t.TempDir()
	for _, d := range []string{filepath.Dir(base), base} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	roDir := filepath.Join(base, "ro")
	if err := os.Mkdir(roDir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(roDir, "transcripts.db")
	if out, err := runCmd(t, "import", "-db", db, "../../data/sample.jsonl"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	bin := filepath.Join(base, "web.test")
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	child := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, "-test.run=^TestHelperImport$")
		cmd.Env = append(os.Environ(), "WEB_HELPER_IMPORT="+strings.Join(args, "\x1f"), "HOME=/")
		cmd.Dir = base
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65532, Gid: 65532}}
		return cmd
	}
	out, err := child("stats", "-db", db).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "videos       4") {
		t.Errorf("stats as nonroot: %v\n%s", err, out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bytes.Buffer
	srv := child("-addr", addr, "-db", db)
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Signal(os.Interrupt); srv.Wait() }()
	var resp *http.Response
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err = http.Get("http://" + addr + "/search?q=contrastive"); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatalf("the server did not answer: %v\n%s", err, logs.String())
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("search as nonroot on a read-only directory: %d\n%s", resp.StatusCode, logs.String())
	}
	if entries, _ := os.ReadDir(roDir); len(entries) != 1 {
		t.Errorf("the directory holds %d files, want the database alone", len(entries))
	}
}
