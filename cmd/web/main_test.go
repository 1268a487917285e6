package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
)

func noEnv(string) string { return "" }

// serveInBackground runs the server like main does and returns its
// address and a function that stops it and returns run's error.
func serveInBackground(t *testing.T, args []string, getenv func(string) string) (string, *bytes.Buffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	logs := &bytes.Buffer{}
	go func() { done <- serveCmd(ctx, args, getenv, logs, ready) }()
	select {
	case addr := <-ready:
		return addr, logs, func() error { cancel(); return <-done }
	case err := <-done:
		cancel()
		t.Fatalf("server did not start: %v\n%s", err, logs)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start in 30 s")
	}
	return "", nil, nil
}

func TestServeBuildsSampleDatabaseOnFirstStart(t *testing.T) {
	t.Chdir(t.TempDir())
	addr, logs, stop := serveInBackground(t, []string{"-addr", "127.0.0.1:0"}, noEnv)
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Supervised Contrastive Learning")) {
		t.Errorf("GET /: %d, sample video missing", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Errorf("graceful shutdown: %v", err)
	}
	if _, err := os.Stat(defaultDB); err != nil {
		t.Errorf("default database not built: %v", err)
	}
	for _, want := range []string{"building it from the embedded sample", "url=http://127.0.0.1:", "shutting down"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}

	// The second start serves the database it built.
	_, logs, stop = serveInBackground(t, []string{"-addr", "127.0.0.1:0"}, noEnv)
	stop()
	if strings.Contains(logs.String(), "building") {
		t.Error("rebuilt an existing database")
	}
}

func TestServeExplicitMissingDatabaseIsAnError(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.db")
	for name, c := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"flag": {args: []string{"-db", missing}},
		"env":  {env: map[string]string{"DB_PATH": missing}},
	} {
		t.Run(name, func(t *testing.T) {
			err := run(context.Background(), c.args, func(k string) string { return c.env[k] }, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), "web import -db "+missing) {
				t.Errorf("err = %v, want advice to import", err)
			}
			if _, err := os.Stat(missing); !os.IsNotExist(err) {
				t.Error("a missing explicit database was created")
			}
		})
	}
}

func TestConfigFromFlagsAndEnvironment(t *testing.T) {
	env := map[string]string{"ADDR": ":9999", "DB_PATH": "/env.db"}
	cfg, err := parseServeFlags(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil || cfg.Addr != ":9999" || cfg.DBPath != "/env.db" || !cfg.DBExplicit {
		t.Errorf("from env: %+v, %v", cfg, err)
	}
	cfg, err = parseServeFlags([]string{"-addr", "127.0.0.1:1", "-db", "/flag.db"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil || cfg.Addr != "127.0.0.1:1" || cfg.DBPath != "/flag.db" {
		t.Errorf("flags over env: %+v, %v", cfg, err)
	}
	cfg, err = parseServeFlags(nil, noEnv, io.Discard)
	if err != nil || cfg.Addr != defaultAddr || cfg.DBPath != defaultDB || cfg.DBExplicit {
		t.Errorf("defaults: %+v, %v", cfg, err)
	}
	if _, err := parseServeFlags([]string{"stray"}, noEnv, io.Discard); err == nil {
		t.Error("a stray argument was accepted")
	}
	// The heap is held near the page cache's size unless GOMEMLIMIT says
	// otherwise.
	if cfg, _ := parseServeFlags([]string{"-cache-mb", "16"}, noEnv, io.Discard); cfg.MemoryLimit != 16<<20+heapHeadroom {
		t.Errorf("memory limit %d with a 16 MB cache", cfg.MemoryLimit)
	}
	limited := func(k string) string { return map[string]string{"GOMEMLIMIT": "1GiB"}[k] }
	if cfg, _ := parseServeFlags(nil, limited, io.Discard); cfg.MemoryLimit != 0 {
		t.Errorf("memory limit %d set over GOMEMLIMIT", cfg.MemoryLimit)
	}
}

const goodRows = `{"video_id":"MpdbFLXOOIw","text":"one","start_second":"0","end_second":"10","title":"T","thumbnail":""}
{"video_id":"MpdbFLXOOIw","text":"two","start_second":10,"end_second":20,"title":"T","thumbnail":""}
{"video_id":"1L83tM8nwHU","text":"three","start_second":"1,021","end_second":"1,050","title":"","thumbnail":""}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func catalogTotals(t *testing.T, path string) catalog.Totals {
	t.Helper()
	c, err := catalog.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tot, err := c.Totals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

func TestImportCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "imported.db")
	good := writeFile(t, "good.jsonl", goodRows)
	var out bytes.Buffer
	for range 2 { // the second run changes nothing
		out.Reset()
		if err := run(context.Background(), []string{"import", "-db", db, good}, noEnv, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "imported 3 segments of 2 videos from 1 file(s)") {
			t.Errorf("summary %q", out.String())
		}
		if got := catalogTotals(t, db); got != (catalog.Totals{Videos: 2, Segments: 3}) {
			t.Errorf("totals %+v", got)
		}
	}

	bad := writeFile(t, "bad.jsonl", goodRows+`{"video_id":"MpdbFLXOOIw","text":"new","start_second":30,"end_second":40}`+"\n"+`{"video_id":"short","text":"x","start_second":1,"end_second":2}`+"\n")
	before, _ := os.ReadFile(db)
	err := run(context.Background(), []string{"import", "-db", db, good, bad}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), bad+":5: video_id \"short\" is not an 11-character YouTube id") || !strings.Contains(err.Error(), "unchanged") {
		t.Errorf("err = %v", err)
	}
	if got := catalogTotals(t, db); got != (catalog.Totals{Videos: 2, Segments: 3}) {
		t.Errorf("totals after a failed import %+v", got)
	}
	after, _ := os.ReadFile(db)
	if !bytes.Equal(before, after) {
		t.Error("a failed import changed the database file")
	}

	fresh := filepath.Join(t.TempDir(), "fresh.db")
	if err := run(context.Background(), []string{"import", "-db", fresh, bad}, noEnv, io.Discard, io.Discard); err == nil {
		t.Error("bad file imported")
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Error("a failed import into a new database left a file behind")
	}
	if err := run(context.Background(), []string{"import", "-db", fresh}, noEnv, io.Discard, io.Discard); err == nil {
		t.Error("import without files succeeded")
	}
}
