package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/transcripts/site/data"
	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
	"github.com/transcripts/site/internal/pgtest"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/internal/search"
)

// cluster is the PostgreSQL server of these tests, nil (and every test
// skipped) when PostgreSQL is not installed here; in CI it must be.
var cluster *pgtest.Cluster

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m, func(c *pgtest.Cluster) { cluster = c }))
}

// open returns a store over a new, empty database of the cluster.
func open(t *testing.T) (*postgres.Store, string) {
	t.Helper()
	if cluster == nil {
		t.Skip("PostgreSQL is not installed (apt-get install postgresql)")
	}
	url := cluster.NewDatabase(t)
	st, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, url
}

// importer is what both backends import with.
type importer interface {
	Import(context.Context, iter.Seq2[catalog.Record, error], catalog.ImportOptions) (catalog.ImportStats, error)
}

// load imports the shipped sample and then rows (JSON Lines) into st.
func load(t *testing.T, st importer, rows ...string) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.Import(ctx, ingest.JSONLines(bytes.NewReader(data.Sample), "sample.jsonl"), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(rows) > 0 {
		if _, err := st.Import(ctx, ingest.JSONLines(strings.NewReader(strings.Join(rows, "\n")), "extra.jsonl"), catalog.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func row(video string, start int, text, title string) string {
	return fmt.Sprintf(`{"video_id":%q,"start_second":%d,"end_second":%d,"text":%q,"title":%q}`, video, start, start+10, text, title)
}

func TestReimportChangesNothingAndAChangedRowUpdates(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	load(t, st)
	before, err := st.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := st.Import(ctx, ingest.JSONLines(bytes.NewReader(data.Sample), "sample.jsonl"), catalog.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Segments != 100 || stats.Unchanged != 100 || stats.Inserted+stats.Updated != 0 || stats.VideosUnchanged != 4 {
		t.Errorf("second import of the sample: %+v", stats)
	}
	if after, _ := st.Version(ctx); after != before {
		t.Errorf("version %v after importing nothing new, was %v", after, before)
	}

	segs, err := st.Transcript(ctx, "5cySIwg49RI")
	if err != nil || len(segs) != 2 {
		t.Fatalf("transcript: %v, %d segments", err, len(segs))
	}
	changed := row("5cySIwg49RI", segs[0].Start, "a platypus walks into a lecture", "")
	stats, err = st.Import(ctx, ingest.JSONLines(strings.NewReader(changed), "x.jsonl"), catalog.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Updated != 1 || stats.Inserted != 0 || stats.VideosUpdated != 1 {
		t.Errorf("changed row: %+v", stats)
	}
	if after, _ := st.Version(ctx); after.N <= before.N {
		t.Errorf("version %d after a change, was %d", after.N, before.N)
	}
	x := postgres.NewIndex(st)
	for word, want := range map[string]int{"platypus": 1, "platypuses": 1} {
		q, _ := search.Parse(word)
		ps, err := x.Matches(ctx, q, search.Filter{}, 10)
		if err != nil || len(ps) != want || ps[0].Segment != segs[0].ID {
			t.Errorf("%s: %v %+v", word, err, ps)
		}
	}
	if got, _ := st.Totals(ctx); got != (catalog.Totals{Videos: 4, Segments: 100}) {
		t.Errorf("totals %+v", got)
	}
}

func TestFailedImportLeavesTheDatabaseAsItWas(t *testing.T) {
	st, url := open(t)
	ctx := context.Background()
	load(t, st)
	before, _ := st.Version(ctx)
	rows := strings.Join([]string{
		row("newvideo_01", 0, "words never seen before: quokka", "New"),
		row("newvideo_01", 10, "more quokka", "New"),
		`{"video_id":"newvideo_01","start_second":20,"end_second":5,"text":"ends before it starts"}`,
	}, "\n")
	_, err := st.Import(ctx, ingest.JSONLines(strings.NewReader(rows), "bad.jsonl"), catalog.ImportOptions{})
	var rowErr *catalog.RowError
	if !errors.As(err, &rowErr) || rowErr.Pos != "bad.jsonl:3" {
		t.Fatalf("import with a bad third row: %v", err)
	}
	if after, _ := st.Version(ctx); after != before {
		t.Errorf("version %v after a failed import, was %v", after, before)
	}
	if got, _ := st.Totals(ctx); got != (catalog.Totals{Videos: 4, Segments: 100}) {
		t.Errorf("totals %+v after a failed import", got)
	}
	q, _ := search.Parse("quokka")
	if ps, err := postgres.NewIndex(st).Matches(ctx, q, search.Filter{}, 10); err != nil || len(ps) != 0 {
		t.Errorf("quokka after a failed import: %v %+v", err, ps)
	}
	// A second store over the same database (another process) agrees.
	other, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Video(ctx, "newvideo_01"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("video of the failed import: %v", err)
	}
}

// TestSameSyntaxAsSQLite runs the search syntax against both backends
// over the same rows: each query matches the same moments.
func TestSameSyntaxAsSQLite(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	rows := []string{
		row("accents_001", 0, "We met at the Café Métropole to talk about naïve Bayes.", "Accents"),
		row("accents_001", 10, "The cafe was closed, so the naive plan failed.", "Accents"),
		row("hyphens_001", 0, "State-of-the-art models are not always the best models.", "Hyphens"),
		row("hyphens_001", 10, "The state of the art moves fast in machine learning.", "Hyphens"),
		row("numbers_001", 0, "Revenue grew 12 percent to 4.5 billion in Q3 2024.", "Numbers"),
		row("numbers_001", 10, "In 2023 revenue was flat; learning rates were tuned.", "Numbers"),
		row("tokens_0001", 0, "See example.com/docs and Node.js v2.0 for covid-19 data, 3.14 and/or e.g. GPT-4 at 24/7.", "Tokens"),
		row("tokens_0001", 10, "Grüße aus Köln; МОСКВА and москва, x86-64 on 2024-03-05, user_name@example.org.", "Tokens"),
	}
	load(t, st, rows...)
	sq, err := catalog.Open(ctx, filepath.Join(t.TempDir(), "same.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	load(t, sq, rows...)

	type at struct {
		video string
		start int
	}
	moments := func(x search.Index, segs func([]int64) ([]search.Segment, error), q search.Query) []at {
		ps, err := x.Matches(ctx, q, search.Filter{}, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, p := range ps {
			ids = append(ids, p.Segment)
		}
		ss, err := segs(ids)
		if err != nil {
			t.Fatal(err)
		}
		var out []at
		for _, s := range ss {
			out = append(out, at{s.VideoID, s.Start})
		}
		slices.SortFunc(out, func(a, b at) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		return out
	}
	pg, lite := postgres.NewIndex(st), catalog.NewIndex(sq)
	for _, typed := range []string{
		"learning", "learn", "learned", `"learning rate"`, `"rates were tuned"`, "learn*", "contrast*",
		"cafe", "café", "naive", "metropole", "state of the art", `"state of the art"`, "models -best",
		"revenue OR bayes", "revenue -2023", "2024", "supervised contrastive", `"the same side"`, "NOT learning revenue",
		"example", "com", "docs", "node", "js", `"v2 0"`, "covid", "19", `"covid 19"`, "3", "14", "and", "or", "gpt", `"gpt 4"`,
		"24", "grüße", "koln", "москва", "x86", "64", "03", "user", "name", "org", "e",
	} {
		q, err := search.Parse(typed)
		if err != nil {
			t.Fatalf("%s: %v", typed, err)
		}
		got := moments(pg, func(ids []int64) ([]search.Segment, error) { return pg.Segments(ctx, ids) }, q)
		want := moments(lite, func(ids []int64) ([]search.Segment, error) { return lite.Segments(ctx, ids) }, q)
		if !slices.Equal(got, want) {
			t.Errorf("%s: PostgreSQL finds %d moments %v, SQLite %d %v", typed, len(got), got, len(want), want)
		}
		if len(want) == 0 {
			t.Errorf("%s: finds nothing: not a test of anything", typed)
		}
	}
}

func TestHighlightMarksTheMatchedWords(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	load(t, st, row("accents_001", 0, "We met at the Café Métropole to talk about naïve Bayes, learning fast.", "Accents"))
	x := postgres.NewIndex(st)
	q, _ := search.Parse("cafe naive learn*")
	ms, err := x.InVideo(ctx, "accents_001", q)
	if err != nil || len(ms) != 1 {
		t.Fatalf("in video: %v %+v", err, ms)
	}
	want := "We met at the " + mark("Café") + " Métropole to talk about " + mark("naïve") + " Bayes, " + mark("learning") + " fast."
	if ms[0].Marked != want {
		t.Errorf("marked\n%q, want\n%q", ms[0].Marked, want)
	}

	// Words PostgreSQL's parser would keep inside a host, a number or a
	// compound are marked as FTS5 marks them.
	load(t, st, row("tokens_0001", 0, "See example.com/docs, covid-19 and 3.14 (or GPT-4).", "Tokens"))
	q, _ = search.Parse(`com covid "gpt 4" 14`)
	ms, err = x.InVideo(ctx, "tokens_0001", q)
	if err != nil || len(ms) != 1 {
		t.Fatalf("in video: %v %+v", err, ms)
	}
	want = "See example." + mark("com") + "/docs, " + mark("covid") + "-19 and 3." + mark("14") + " (or " + mark("GPT") + "-" + mark("4") + ")."
	if ms[0].Marked != want {
		t.Errorf("marked\n%q, want\n%q", ms[0].Marked, want)
	}
}

func TestRemarkLeavesTextUnmarkedWhenWordsDiffer(t *testing.T) {
	if got := postgres.Remark("one two", "one "+mark("two")+" three"); got != "one two" {
		t.Errorf("remark of words that do not line up: %q", got)
	}
	if got := postgres.Remark("don't stop", mark("don")+" t "+mark("stop")); got != mark("don")+"'t "+mark("stop") {
		t.Errorf("remark: %q", got)
	}
}

// TestRefusesADatabaseWithoutUTF8Letters opens a database whose LC_CTYPE
// is C: PostgreSQL would fold and cut only ASCII letters there.
func TestRefusesADatabaseWithoutUTF8Letters(t *testing.T) {
	_, url := open(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE ascii_only LOCALE 'C' ENCODING 'UTF8' TEMPLATE template0`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Exec(context.Background(), `DROP DATABASE ascii_only WITH (FORCE)`) })
	u := strings.Replace(url, "/"+strings.Split(strings.TrimPrefix(url, "postgres://"), "/")[1], "/ascii_only?sslmode=disable", 1)
	if st, err := postgres.Open(ctx, u); err == nil || !strings.Contains(err.Error(), "createdb -E UTF8 --locale=C.UTF-8") {
		if st != nil {
			st.Close()
		}
		t.Errorf("open of a C-locale database: %v", err)
	}
}

// TestOrdersAsSQLite lists titles and channels with letters beyond ASCII
// in SQLite's order: A–Z folded, everything else byte by byte.
func TestOrdersAsSQLite(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	var rows []string
	for i, title := range []string{"Étoile", "ébène", "zebra", "Apple", "apple pie", "_under", "\"Quoted\"", ""} {
		rows = append(rows, fmt.Sprintf(`{"video_id":"order%06d","start_second":0,"end_second":5,"text":"x","title":%q,"channel":%q}`,
			i, title, []string{"Élan", "éclat", "Zed", "alpha", "Beta", "_x", "a", "b"}[i]))
	}
	sq, err := catalog.Open(ctx, filepath.Join(t.TempDir(), "order.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	for _, s := range []importer{st, sq} {
		if _, err := s.Import(ctx, ingest.JSONLines(strings.NewReader(strings.Join(rows, "\n")), "order.jsonl"), catalog.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(vs []catalog.Video) (out []string) {
		for _, v := range vs {
			out = append(out, v.ID)
		}
		return out
	}
	for _, sort := range catalog.VideoSorts {
		a, err := st.FindVideos(ctx, catalog.VideoQuery{Sort: sort, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		b, err := sq.FindVideos(ctx, catalog.VideoQuery{Sort: sort, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(a), ids(b)) {
			t.Errorf("sort %s: PostgreSQL %v, SQLite %v", sort, ids(a), ids(b))
		}
	}
	a, _ := st.Channels(ctx)
	b, _ := sq.Channels(ctx)
	if fmt.Sprint(a) != fmt.Sprint(b) || len(a) != 8 {
		t.Errorf("channels: PostgreSQL %v, SQLite %v", a, b)
	}
}

// TestBytesThatAreNotText imports Latin-1 bytes and a NUL, which the
// importer turns into text both stores keep.
func TestBytesThatAreNotText(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	records := func(yield func(catalog.Record, error) bool) {
		yield(catalog.Record{Pos: "x.csv:2", VideoID: "latin100001", Text: "caf\xe9 cr\xe8me and a \x00 nul", Start: 0, End: 5,
			Thumbnail: "https://i.ytimg.com/vi/x/\x00.jpg", Title: "caf\xe9", Speaker: "Ren\xe9"}, nil)
	}
	if _, err := st.Import(ctx, records, catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	segs, err := st.Transcript(ctx, "latin100001")
	if err != nil || len(segs) != 1 || segs[0].Text != "caf\uFFFD cr\uFFFDme and a   nul" || segs[0].Speaker != "Ren\uFFFD" {
		t.Errorf("transcript %v %+v", err, segs)
	}
	if v, _ := st.Video(ctx, "latin100001"); v.Thumbnail != catalog.DefaultThumbnail("latin100001") {
		t.Errorf("thumbnail %q", v.Thumbnail)
	}
}

func mark(s string) string { return search.MarkStart + s + search.MarkEnd }

func TestDeleteAndRepeatedText(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	read := "This episode is brought to you by Acme Mattress, the mattress that helps you sleep through the night; go to acme dot com slash talks for ten percent off your first order today"
	var rows []string
	for i, v := range []string{"sponsor_001", "sponsor_002", "sponsor_003"} {
		rows = append(rows, row(v, 0, read, "Episode"), row(v, 10, fmt.Sprintf("and now episode %d is about something else entirely, topic number %d", i, i), "Episode"))
	}
	load(t, st, rows...)
	reps, err := st.RepeatedIn(ctx, "sponsor_002")
	if err != nil || len(reps) != 1 {
		t.Fatalf("repeated in sponsor_002: %v %+v", err, reps)
	}
	var cluster int64
	for _, r := range reps {
		cluster = r.Cluster
		if r.Videos != 3 {
			t.Errorf("the read is said in %d videos, want 3", r.Videos)
		}
	}
	if err := st.SetVerdict(ctx, cluster, "content"); err != nil {
		t.Fatal(err)
	}
	if reps, _ := st.RepeatedIn(ctx, "sponsor_002"); len(reps) != 0 {
		t.Errorf("after the verdict content: %+v", reps)
	}

	if _, err := st.Delete(ctx, []string{"sponsor_001", "no_such_vid"}); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("delete of an unknown id: %v", err)
	}
	if got, _ := st.Totals(ctx); got.Videos != 7 {
		t.Errorf("a failed delete removed something: %+v", got)
	}
	stats, err := st.Delete(ctx, []string{"sponsor_001"})
	if err != nil || stats != (catalog.DeleteStats{Videos: 1, Segments: 2}) {
		t.Fatalf("delete: %v %+v", err, stats)
	}
	q, _ := search.Parse("mattress")
	ps, err := postgres.NewIndex(st).Matches(ctx, q, search.Filter{}, 10)
	if err != nil || len(ps) != 2 {
		t.Errorf("mattress after deleting one of three videos: %v %+v", err, ps)
	}
	if ts, err := postgres.NewIndex(st).Terms(ctx, "mattress", 1); err != nil || len(ts) != 1 || ts[0].Docs != 2 {
		t.Errorf("vocabulary after the delete: %v %+v", err, ts)
	}
}

// TestDerivedTablesFollowEveryChange imports, rewrites and deletes in
// small steps, each of which marks only the segments it touches: after
// every step the marks of repeated text are SQLite's, and the vocabulary
// and BM25's figures are what counting everything anew gives.
func TestDerivedTablesFollowEveryChange(t *testing.T) {
	st, url := open(t)
	ctx := context.Background()
	sq, err := catalog.Open(ctx, filepath.Join(t.TempDir(), "derived.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sq.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	read := "This episode is brought to you by Acme Mattress, the mattress that helps you sleep through the night; go to acme dot com slash talks for ten percent off your first order today"
	episode := func(v string, n int) []string {
		return []string{row(v, 0, read, "Episode "+v), row(v, 10, fmt.Sprintf("and now episode %d is about something else entirely, topic number %d of the season", n, n), "Episode "+v)}
	}
	step := func(name string, rows []string, del string, wantMarked int) {
		t.Helper()
		for _, s := range []interface {
			importer
			Delete(context.Context, []string) (catalog.DeleteStats, error)
		}{st, sq} {
			if len(rows) > 0 {
				if _, err := s.Import(ctx, ingest.JSONLines(strings.NewReader(strings.Join(rows, "\n")), name+".jsonl"), catalog.ImportOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			if del != "" {
				if _, err := s.Delete(ctx, []string{del}); err != nil {
					t.Fatal(err)
				}
			}
		}
		marks := func(s interface {
			Videos(context.Context, int, int) ([]catalog.Video, error)
			Transcript(context.Context, string) ([]catalog.Segment, error)
			RepeatedIn(context.Context, string) (map[int64]catalog.Repeat, error)
		}) map[string]catalog.Repeat {
			out := map[string]catalog.Repeat{}
			vs, err := s.Videos(ctx, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				segs, _ := s.Transcript(ctx, v.ID)
				reps, _ := s.RepeatedIn(ctx, v.ID)
				for _, seg := range segs {
					if r, ok := reps[seg.ID]; ok {
						out[fmt.Sprint(v.ID, "@", seg.Start)] = r
					}
				}
			}
			return out
		}
		if a, b := marks(st), marks(sq); fmt.Sprint(a) != fmt.Sprint(b) || len(a) != wantMarked {
			t.Errorf("%s: PostgreSQL marks %v, SQLite %v, want %d marked", name, a, b, wantMarked)
		}
		var stale int
		if err := conn.QueryRow(ctx, `
			SELECT count(*) FROM (
				(SELECT term, docs FROM terms EXCEPT SELECT word, ndoc FROM ts_stat('SELECT tsv FROM segments'))
				UNION ALL
				(SELECT word, ndoc FROM ts_stat('SELECT tsv FROM segments') EXCEPT SELECT term, docs FROM terms)) d`).Scan(&stale); err != nil || stale != 0 {
			t.Errorf("%s: %d terms differ from a recount (%v)", name, stale, err)
		}
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT segments = (SELECT count(*) FROM segments)
			AND lexemes = (SELECT coalesce(sum(length(tsv)), 0) FROM segments) FROM index_stats`).Scan(&ok); err != nil || !ok {
			t.Errorf("%s: index_stats differ from a recount (%v)", name, err)
		}
	}
	step("two episodes", append(episode("sponsor_001", 1), episode("sponsor_002", 2)...), "", 0)
	step("a third: the read is said in three videos", episode("sponsor_003", 3), "", 3)
	step("the second's read rewritten: two", []string{row("sponsor_002", 0, "a line of its own now, nothing like the others at all", "Episode")}, "", 0)
	step("a fourth: three again", episode("sponsor_004", 4), "", 3)
	step("the first deleted: two", nil, "sponsor_001", 0)
	step("the second's read back: three", []string{row("sponsor_002", 0, read, "Episode")}, "", 3)
	step("the second's read rewritten to no words: two", []string{row("sponsor_002", 0, "♪ ♪", "Episode")}, "", 0)
	step("a fifth with a line of no words", append(episode("sponsor_005", 5), row("sponsor_005", 20, "♪", "Episode")), "", 3)
}

// TestMigrationAddsTheShingleIndex opens a database migrated before the
// index of shingles by hash existed (schema 1 without it): migration 2
// adds it, and a bulk import, which drops and rebuilds it, works.
func TestMigrationAddsTheShingleIndex(t *testing.T) {
	st, url := open(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP INDEX segment_shingles_by_hash; DELETE FROM schema_migrations WHERE version = 2`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	again, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('segment_shingles_by_hash') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		t.Fatalf("index after migrating: %v %v", exists, err)
	}
	load(t, again)
}
