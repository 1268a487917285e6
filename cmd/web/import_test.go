package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/search"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, noEnv, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestImportDirectoryAndStats(t *testing.T) {
	db := filepath.Join(t.TempDir(), "all.db")
	out, err := runCmd(t, "import", "-db", db, "../../internal/ingest/testdata")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"imported 61 segments of 13 videos from 22 file(s)", "videos: 13 added, 0 updated", "segments: 38 new, 0 changed, 23 unchanged"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	// Importing a file again changes nothing, and says so. (The
	// directory's dataset files disagree with each other on purpose: the
	// last one read wins.)
	out, err = runCmd(t, "import", "-db", db, "../../internal/ingest/testdata/Transfer Learning [mPFq5KMxKVw].en.srt")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if want := "videos: 0 added, 0 updated, 1 unchanged; segments: 0 new, 0 changed, 1 unchanged"; !strings.Contains(out, want) {
		t.Errorf("re-import summary lacks %q:\n%s", want, out)
	}
	out, err = runCmd(t, "stats", "-db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"schema       version 9", "videos       13", "segments     38", "last import  20"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lack %q:\n%s", want, out)
		}
	}
	if _, err := runCmd(t, "stats", "-db", filepath.Join(t.TempDir(), "none.db")); err == nil {
		t.Error("stats of a missing database")
	}
}

const badRows = `{"video_id":"MpdbFLXOOIw","text":"one","start_second":0,"end_second":10}
{"video_id":"MpdbFLXOOIw","text":"","start_second":10,"end_second":20}
{"video_id":"MpdbFLXOOIw","text":"three","start_second":20,"end_second":30}
not json
{"video_id":"MpdbFLXOOIw","text":"five","start_second":40,"end_second":30}
`

func TestImportSkipInvalidAndDryRun(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	bad := writeFile(t, "bad.jsonl", badRows)

	out, err := runCmd(t, "import", "-db", db, bad)
	if err == nil || !strings.Contains(err.Error(), bad+":2: empty text") {
		t.Errorf("strict import: %v", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("a failed import left a database")
	}

	out, err = runCmd(t, "import", "-db", db, "-dry-run", "-skip-invalid", bad)
	if err != nil || !strings.Contains(out, "dry run: 2 segments of 1 videos") || !strings.Contains(out, "skipped 3 bad row(s)") {
		t.Errorf("dry run: %v\n%s", err, out)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("a dry run created the database")
	}

	out, err = runCmd(t, "import", "-db", db, "-skip-invalid", bad)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"imported 2 segments of 1 videos", "skipped 3 bad row(s):", bad + ":2: empty text", bad + ":4: bad JSON", bad + ":5: end_second 30 is before start_second 40"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	before, _ := os.ReadFile(db)
	if _, err := runCmd(t, "import", "-db", db, "-dry-run", writeFile(t, "more.jsonl", goodRows)); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("a dry run changed the database")
	}
	if _, err := runCmd(t, "import", "-db", db, "-format", "xml", bad); err == nil {
		t.Error("an unknown -format was accepted")
	}
}

func TestDeleteCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if _, err := runCmd(t, "import", "-db", db, writeFile(t, "good.jsonl", goodRows)); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, "delete", "-db", db, "MpdbFLXOOIw", "nopenopenop"); err == nil || !strings.Contains(err.Error(), "nothing was deleted") {
		t.Errorf("delete with an unknown id: %v %s", err, out)
	}
	out, err := runCmd(t, "delete", "-db", db, "MpdbFLXOOIw")
	if err != nil || !strings.Contains(out, "deleted 1 video and 2 segments") {
		t.Errorf("delete: %v %s", err, out)
	}
	if got := catalogTotals(t, db); got != (catalog.Totals{Videos: 1, Segments: 1}) {
		t.Errorf("after delete: %+v", got)
	}
}

// bigJSONL writes n rows over n/250 videos.
func bigJSONL(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "big.jsonl")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		writeBigRow(w, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return p
}

// writeBigRow writes row i of the big import: 250 rows to a video.
func writeBigRow(w io.Writer, i int) error {
	_, err := fmt.Fprintf(w, `{"video_id":"big%08d","text":"segment %d says the same few words about gradient descent and networks again and again","start_second":%d,"end_second":%d,"title":"Big %d"}`+"\n",
		i/250, i, (i%250)*20, (i%250)*20+20, i/250)
	return err
}

// TestHelperImport is the child process of the kill tests: it runs
// "web import" as main would, signals and all.
func TestHelperImport(t *testing.T) {
	if os.Getenv("WEB_HELPER_IMPORT") == "" {
		t.Skip("run by TestImportKilled* as a child process")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, strings.Split(os.Getenv("WEB_HELPER_IMPORT"), "\x1f"), os.Getenv, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "web:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// underWayRows is how many rows importChild writes before it returns:
// about 7 MB, a hundred times what a pipe holds, so the child has read
// most of them, and Import, which begins its transaction before it
// reads a row, has written them (more than its page cache holds) into the
// open transaction.
const underWayRows = 50_000

// importChild starts "web import" in a child process, reading rows from a
// pipe that the test writes and never closes, so the import cannot finish:
// only a signal ends it. It returns once underWayRows have gone into the
// pipe (a write into a full pipe returns only when the reader has taken
// from it), with the child waiting for more. done is closed when the
// writer stops, which it does when the child is gone.
func importChild(t *testing.T, db string) (cmd *exec.Cmd, out *bytes.Buffer, done <-chan struct{}) {
	t.Helper()
	cmd = exec.Command(os.Args[0], "-test.run=^TestHelperImport$")
	cmd.Env = append(os.Environ(), "WEB_HELPER_IMPORT="+strings.Join([]string{"import", "-db", db, "-format", "jsonl", "/dev/stdin"}, "\x1f"))
	out = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	underWay := make(chan error, 1)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		w := bufio.NewWriter(stdin)
		for i := 0; ; i++ {
			err := writeBigRow(w, i)
			if i == underWayRows-1 {
				if err == nil {
					err = w.Flush()
				}
				underWay <- err
			}
			if err != nil {
				return // the child is gone: a broken or closed pipe
			}
		}
	}()
	if err := <-underWay; err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the import stopped reading its rows: %v\n%s", err, out)
	}
	return cmd, out, stopped
}

// checkUnchanged opens db after an interrupted import: it must be intact
// and hold exactly what it held before.
func checkUnchanged(t *testing.T, db string, before catalog.Totals) {
	t.Helper()
	ctx := context.Background()
	c, err := catalog.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Check(ctx); err != nil {
		t.Error(err)
	}
	if got, _ := c.Totals(ctx); got != before {
		t.Errorf("after the interrupted import %+v, before %+v", got, before)
	}
	res, err := search.New(catalog.NewIndex(c), 5*time.Second).Search(ctx, search.Request{Query: "gradient", Page: 1})
	if err != nil || res.Total != 0 {
		t.Errorf("the interrupted import's rows are searchable: %d, %v", res.Total, err)
	}
}

func TestImportKilledMidwayLeavesDatabaseAsItWas(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 50,000 rows")
	}
	db := filepath.Join(t.TempDir(), "kill.db")
	if _, err := runCmd(t, "import", "-db", db, writeFile(t, "good.jsonl", goodRows)); err != nil {
		t.Fatal(err)
	}
	before := catalogTotals(t, db)

	// kill -9 in the middle of the transaction.
	cmd, out, done := importChild(t, db)
	if info, err := os.Stat(db + "-wal"); err != nil || info.Size() < 1<<20 {
		t.Errorf("the import under way has not written into the WAL (%v): the kill tests no recovery", err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatalf("the import finished before it was killed:\n%s", out)
	}
	<-done
	checkUnchanged(t, db, before)

	// Ctrl-C: the import stops, says so, and rolls back.
	cmd, out, done = importChild(t, db)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(out.String(), "interrupted") || !strings.Contains(out.String(), "unchanged") {
		t.Errorf("after Ctrl-C: %v\n%s", err, out)
	}
	<-done
	checkUnchanged(t, db, before)
}

// TestReadersDuringImport: a served database keeps answering with the old
// catalog while an import runs, then with the new one, never an error.
func TestReadersDuringImport(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "live.db")
	if _, err := runCmd(t, "import", "-db", db, writeFile(t, "good.jsonl", goodRows)); err != nil {
		t.Fatal(err)
	}
	// The site serves the file read-only, reading the version every
	// request, while a writer of its own imports into it.
	reader, err := catalog.OpenReadOnly(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	cfg := Config{SearchTimeout: testSearchTimeout, CacheBytes: 8 << 20}
	srv, err := newServer(cfg, reader, search.New(catalog.NewIndex(reader), cfg.SearchTimeout), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	site := srv.fromCache(srv.app())
	totals := func() (videos, moments int) {
		t.Helper()
		var got struct {
			Total int `json:"total"`
		}
		for path, n := range map[string]*int{"/videos.json": &videos, "/search.json?q=gradient&group=none": &moments} {
			rec := httptest.NewRecorder()
			site.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("%s during the import: %d %s", path, rec.Code, rec.Body)
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			*n = got.Total
		}
		return videos, moments
	}
	oldVideos, oldMoments := totals()

	writer, err := catalog.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	f, err := os.Open(bigJSONL(t, 20_000))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The import stops half-way, its transaction open, until the readers
	// have looked.
	halfway, resume := make(chan struct{}), make(chan struct{})
	records := func(yield func(catalog.Record, error) bool) {
		n := 0
		for r, err := range ingest.JSONLines(f, "big.jsonl") {
			if n++; n == 10_000 {
				close(halfway)
				<-resume
			}
			if !yield(r, err) {
				return
			}
		}
	}
	imported := make(chan error, 1)
	go func() {
		_, err := writer.Import(ctx, records, catalog.ImportOptions{})
		imported <- err
	}()
	<-halfway
	if v, m := totals(); v != oldVideos || m != oldMoments {
		t.Errorf("during the import readers saw %d videos and %d moments, want the old %d and %d", v, m, oldVideos, oldMoments)
	}
	close(resume)
	if err := <-imported; err != nil {
		t.Fatal(err)
	}
	if v, m := totals(); v != oldVideos+80 || m <= oldMoments {
		t.Errorf("after the import readers see %d videos and %d moments, want %d and more than %d", v, m, oldVideos+80, oldMoments)
	}
}

// TestOperatorsDecideWhatIsRepeated: web stats lists a sponsor read said
// in five episodes; marking its cluster as content unmarks it, and the
// verdict outlives an import that adds a sixth episode with the read;
// marking it repeated again marks all six.
func TestOperatorsDecideWhatIsRepeated(t *testing.T) {
	ctx := context.Background()
	read := "this episode is brought to you by dreamfoam the mattress company that ships a mattress to your door " +
		"in a box and gives you one hundred nights to try it go to dreamfoam dot com slash show and use the code at checkout"
	episodes := func(from, to int) string {
		var rows []string
		for i := from; i < to; i++ {
			id := fmt.Sprintf("episode%04d", i)
			rows = append(rows, row(id, 0, 30, read, "Episode"), row(id, 30, 60, fmt.Sprintf("in episode %d a guest tells how she changed careers", i), "Episode"))
		}
		return strings.Join(rows, "\n") + "\n"
	}
	db := filepath.Join(t.TempDir(), "reads.db")
	if out, err := runCmd(t, "import", "-db", db, writeFile(t, "five.jsonl", episodes(0, 5))); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	repeatedLines := func() int {
		t.Helper()
		c, err := catalog.OpenReadOnly(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		n := 0
		for i := range 6 {
			reps, err := c.RepeatedIn(ctx, fmt.Sprintf("episode%04d", i))
			if err != nil {
				t.Fatal(err)
			}
			n += len(reps)
		}
		return n
	}
	if n := repeatedLines(); n != 5 {
		t.Fatalf("%d repeated lines after the import, want the 5 reads", n)
	}
	out, err := runCmd(t, "stats", "-db", db)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^  (\d+)\s+5\s+5  this episode is brought to you by`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stats do not list the read in 5 videos:\n%s", out)
	}
	cluster := m[1]
	if out, err := runCmd(t, "repeats", "-db", db, "mark", cluster, "content"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := repeatedLines(); n != 0 {
		t.Errorf("%d repeated lines after marking the cluster content", n)
	}
	if out, err := runCmd(t, "import", "-db", db, writeFile(t, "sixth.jsonl", episodes(5, 6))); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := repeatedLines(); n != 0 {
		t.Errorf("%d repeated lines after another episode: the verdict did not hold", n)
	}
	if out, err := runCmd(t, "repeats", "-db", db, "mark", cluster, "repeated"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := repeatedLines(); n != 6 {
		t.Errorf("%d repeated lines after marking the cluster repeated, want 6", n)
	}
	if _, err := runCmd(t, "repeats", "-db", db, "mark", "12345", "content"); err == nil {
		t.Error("an unknown cluster was marked")
	}
	// Deleting episodes until the read is in two videos unmarks it.
	if out, err := runCmd(t, "delete", "-db", db, "episode0000", "episode0001", "episode0002", "episode0003"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := repeatedLines(); n != 0 {
		t.Errorf("%d repeated lines with the read in two videos", n)
	}
}

// TestFirstImportIsBuiltAside: a first import builds the database under a
// temporary name without a journal and moves it into place whole, in WAL
// mode like any other; a failed one leaves nothing, and a crashed one's
// leftovers are replaced.
func TestFirstImportIsBuiltAside(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "first.db")
	tmp := db + ".importing"
	if err := os.WriteFile(tmp, []byte("what a crashed import left"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, "import", "-db", db, writeFile(t, "good.jsonl", goodRows)); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, leftover := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
		if _, err := os.Stat(leftover); !os.IsNotExist(err) {
			t.Errorf("%s is left after the import", filepath.Base(leftover))
		}
	}
	raw, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var mode string
	var segments int
	if err := raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q (%v), want wal", mode, err)
	}
	if err := raw.QueryRow(`SELECT count(*) FROM segments`).Scan(&segments); err != nil || segments == 0 {
		t.Errorf("%d segments (%v)", segments, err)
	}
	// The next import goes into the file in place, as every later one.
	if out, err := runCmd(t, "import", "-db", db, "../../data/sample.jsonl"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// A first import that fails, or finds no good row to skip to, leaves
	// nothing behind, not even for a moment.
	failed := filepath.Join(dir, "failed.db")
	if _, err := runCmd(t, "import", "-db", failed, writeFile(t, "bad.jsonl", badRows)); err == nil {
		t.Fatal("a bad row was imported")
	}
	allBad := writeFile(t, "allbad.jsonl", "{\"video_id\": \"MpdbFLXOOIw\", \"text\": \"\", \"start_second\": 1, \"end_second\": 2}\n")
	if _, err := runCmd(t, "import", "-skip-invalid", "-db", failed, allBad); err == nil {
		t.Fatal("an import of only bad rows succeeded")
	}
	entries, _ := filepath.Glob(failed + "*")
	if len(entries) > 0 {
		t.Errorf("a failed first import left %q", entries)
	}
	// While one first import runs in a directory, another is refused.
	if runtime.GOOS != "windows" {
		unlock, err := lockDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		_, err = runCmd(t, "import", "-db", filepath.Join(dir, "second.db"), "../../data/sample.jsonl")
		unlock()
		if err == nil || !strings.Contains(err.Error(), "another first import") {
			t.Errorf("a first import beside another: %v", err)
		}
	}
}

// TestImportACatalogFile imports a database web import wrote into
// another: the whole collection, metadata and chapters with it; a
// database is never imported into itself.
func TestImportACatalogFile(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	if out, err := runCmd(t, "import", "-db", a, "../../internal/ingest/testdata"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err := runCmd(t, "import", "-db", b, a)
	if err != nil || !strings.Contains(out, "imported 38 segments of 13 videos from 1 file(s)") {
		t.Fatalf("%v\n%s", err, out)
	}
	if got, want := catalogTotals(t, b), catalogTotals(t, a); got != want {
		t.Errorf("copy holds %+v, the original %+v", got, want)
	}
	ctx := context.Background()
	from, err := catalog.OpenReadOnly(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	to, err := catalog.OpenReadOnly(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()
	sameCollection(t, from, to)
	if out, err := runCmd(t, "import", "-db", a, a); err == nil || !strings.Contains(err.Error(), "is the database being imported into") {
		t.Errorf("import of a database into itself: %v\n%s", err, out)
	}
}

// importOrder lists videos in the order they were imported: by their
// first lines' ids.
func importOrder(t *testing.T, s store, vs []catalog.Video) []string {
	t.Helper()
	first := map[string]int64{}
	var ids []string
	for _, v := range vs {
		segs, err := s.Transcript(context.Background(), v.ID)
		if err != nil || len(segs) == 0 {
			t.Fatalf("transcript of %s: %v", v.ID, err)
		}
		first[v.ID] = slices.MinFunc(segs, func(a, b catalog.Segment) int { return cmp.Compare(a.ID, b.ID) }).ID
		ids = append(ids, v.ID)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(first[a], first[b]) })
	return ids
}

// sameCollection checks that to holds what from holds, as a copy of a
// collection must: every video with its metadata and import time, its
// segments, its chapters, in the order they were imported. It returns
// from's videos.
func sameCollection(t *testing.T, from, to store) []catalog.Video {
	t.Helper()
	ctx := context.Background()
	vs, err := from.Videos(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	chaptered := 0
	for _, v := range vs {
		w, err := to.Video(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameVideo(v, w) {
			t.Errorf("video %s copied as\n%+v, was\n%+v", v.ID, w, v)
		}
		a, _ := from.Transcript(ctx, v.ID)
		b, _ := to.Transcript(ctx, v.ID)
		if len(a) != len(b) {
			t.Fatalf("%s: %d segments copied of %d", v.ID, len(b), len(a))
		}
		for i := range a {
			if a[i].Start != b[i].Start || a[i].End != b[i].End || a[i].Text != b[i].Text || a[i].Speaker != b[i].Speaker {
				t.Errorf("%s: segment %+v copied as %+v", v.ID, a[i], b[i])
			}
		}
		ca, _ := from.Chapters(ctx, v.ID)
		cb, _ := to.Chapters(ctx, v.ID)
		if fmt.Sprint(ca) != fmt.Sprint(cb) {
			t.Errorf("%s: chapters %v copied as %v", v.ID, ca, cb)
		}
		if len(ca) > 0 {
			chaptered++
		}
	}
	if chaptered == 0 {
		t.Error("no video has chapters: their copy is not tested")
	}
	if a, b := importOrder(t, from, vs), importOrder(t, to, vs); !slices.Equal(a, b) {
		t.Errorf("videos imported in the order %v, copied in the order %v", a, b)
	}
	return vs
}

// sameVideo reports whether two stores hold a video alike.
func sameVideo(a, b catalog.Video) bool {
	return a.ID == b.ID && a.ImportedAt.Equal(b.ImportedAt) && a.Title == b.Title && a.Thumbnail == b.Thumbnail && a.Duration == b.Duration &&
		a.Segments == b.Segments && a.ChannelID == b.ChannelID && a.Channel == b.Channel && a.Published.Equal(b.Published) &&
		a.Description == b.Description && strings.Join(a.Tags, ",") == strings.Join(b.Tags, ",") && a.Language == b.Language
}
