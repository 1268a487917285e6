package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/transcripts/site/internal/catalog"
)

func openTemp(t *testing.T) (*catalog.Catalog, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	c, err := catalog.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}

// records yields rs in order, positions numbered from 1.
func records(rs ...catalog.Record) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		for i, r := range rs {
			if r.Pos == "" {
				r.Pos = fmt.Sprintf("test.jsonl:%d", i+1)
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

func seg(id string, start, end int, text string) catalog.Record {
	return catalog.Record{VideoID: id, Start: start, End: end, Text: text, Title: "Title of " + id, Thumbnail: "https://example.com/" + id + ".jpg"}
}

const (
	vidA = "MpdbFLXOOIw"
	vidB = "1L83tM8nwHU"
)

// dump is the whole visible state of a catalog, for before/after checks.
func dump(t *testing.T, c *catalog.Catalog) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	vs, err := c.Videos(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		fmt.Fprintf(&b, "%+v\n", v)
		segs, err := c.Transcript(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range segs {
			fmt.Fprintf(&b, "  %d %d-%d %s\n", s.ID, s.Start, s.End, s.Text)
		}
	}
	var fts int
	if err := c.DB().QueryRow(`SELECT count(*) FROM segments_fts WHERE segments_fts MATCH 'the OR a OR learning OR x'`).Scan(&fts); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "fts matches: %d\n", fts)
	return b.String()
}

func TestOpenMigratesOnceAndRecordsVersion(t *testing.T) {
	ctx := context.Background()
	c, path := openTemp(t)
	newest, count := migrationFiles(t)
	v, err := c.SchemaVersion(ctx)
	if err != nil || v != newest {
		t.Fatalf("schema version = %d, %v; want %d", v, err, newest)
	}
	if _, err := c.Import(ctx, records(seg(vidA, 0, 10, "hello world")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	c.Close()

	// Reopening applies nothing again and keeps the data.
	c2, err := catalog.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	var applied int
	if err := c2.DB().QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != count {
		t.Errorf("schema_migrations has %d rows, want %d", applied, count)
	}
	tot, err := c2.Totals(ctx)
	if err != nil || tot != (catalog.Totals{Videos: 1, Segments: 1}) {
		t.Errorf("totals after reopen = %+v, %v", tot, err)
	}
	// The schema is the contract other tools rely on.
	var tokenize string
	if err := c2.DB().QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'segments_fts'`).Scan(&tokenize); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tokenize, "porter unicode61 remove_diacritics 2") || !strings.Contains(tokenize, "content = 'segments'") {
		t.Errorf("segments_fts is %s", tokenize)
	}
}

func TestImportDerivesVideoFigures(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	stats, err := c.Import(ctx, records(
		seg(vidA, 30, 55, "second line"),
		seg(vidA, 0, 30, "first line"),
		seg(vidB, 100, 3725, "long one"),
	), catalog.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Videos != 2 || stats.Segments != 3 {
		t.Errorf("stats = %+v", stats)
	}
	v, err := c.Video(ctx, vidA)
	if err != nil {
		t.Fatal(err)
	}
	if v.Duration != 55 || v.Segments != 2 || v.Title != "Title of "+vidA {
		t.Errorf("video = %+v", v)
	}
	segs, err := c.Transcript(ctx, vidA)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 2 || segs[0].Start != 0 || segs[1].Start != 30 {
		t.Errorf("transcript not in time order: %+v", segs)
	}
	if _, err := c.Video(ctx, "nopenopenop"); !errors.Is(err, catalog.ErrNotFound) {
		t.Errorf("unknown video: err = %v, want ErrNotFound", err)
	}
}

func TestImportCleaning(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name          string
		rec           catalog.Record
		wantTitle     string
		wantThumbnail string
		wantText      string
	}{
		{"empty thumbnail gets YouTube's", catalog.Record{VideoID: vidA, Text: "x", Thumbnail: ""}, "", catalog.DefaultThumbnail(vidA), "x"},
		{"http thumbnail is not used", catalog.Record{VideoID: vidA, Text: "x", Thumbnail: "http://i.ytimg.com/a.jpg"}, "", catalog.DefaultThumbnail(vidA), "x"},
		{"javascript thumbnail is not used", catalog.Record{VideoID: vidA, Text: "x", Thumbnail: "javascript:alert(1)"}, "", catalog.DefaultThumbnail(vidA), "x"},
		{"https thumbnail kept", catalog.Record{VideoID: vidA, Text: "x", Thumbnail: " https://i.ytimg.com/vi/x/maxres.jpg "}, "", "https://i.ytimg.com/vi/x/maxres.jpg", "x"},
		{"empty title stays empty", catalog.Record{VideoID: vidA, Text: "x", Title: "  "}, "", catalog.DefaultThumbnail(vidA), "x"},
		{"text trimmed, control characters gone", catalog.Record{VideoID: vidA, Text: "  a\x02b\x03c\n", Title: "T"}, "T", catalog.DefaultThumbnail(vidA), "a b c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := openTemp(t)
			if _, err := c.Import(ctx, records(tt.rec), catalog.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			v, err := c.Video(ctx, vidA)
			if err != nil {
				t.Fatal(err)
			}
			if v.Title != tt.wantTitle || v.Thumbnail != tt.wantThumbnail {
				t.Errorf("title %q thumbnail %q; want %q %q", v.Title, v.Thumbnail, tt.wantTitle, tt.wantThumbnail)
			}
			segs, _ := c.Transcript(ctx, vidA)
			if len(segs) != 1 || segs[0].Text != tt.wantText {
				t.Errorf("text = %+v, want %q", segs, tt.wantText)
			}
		})
	}
}

func TestImportKeepsKnownTitleAndThumbnail(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	first := seg(vidA, 0, 10, "one")
	if _, err := c.Import(ctx, records(first), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// A later import without title or thumbnail does not erase them.
	if _, err := c.Import(ctx, records(catalog.Record{VideoID: vidA, Start: 10, End: 20, Text: "two"}), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	v, _ := c.Video(ctx, vidA)
	if v.Title != first.Title || v.Thumbnail != first.Thumbnail || v.Segments != 2 || v.Duration != 20 {
		t.Errorf("video after second import = %+v", v)
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	rs := []catalog.Record{seg(vidA, 0, 10, "the first"), seg(vidA, 10, 20, "the second"), seg(vidB, 0, 5, "other video")}
	if _, err := c.Import(ctx, records(rs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before := dump(t, c)
	if _, err := c.Import(ctx, records(rs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, c); after != before {
		t.Errorf("second import changed the catalog:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestReimportReplacesTextInIndex(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	if _, err := c.Import(ctx, records(seg(vidA, 0, 10, "old words here")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, records(seg(vidA, 0, 12, "brand new words")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	segs, _ := c.Transcript(ctx, vidA)
	if len(segs) != 1 || segs[0].Text != "brand new words" || segs[0].End != 12 {
		t.Fatalf("transcript = %+v", segs)
	}
	for word, want := range map[string]int{"old": 0, "brand": 1} {
		var n int
		if err := c.DB().QueryRow(`SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?`, word).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("index matches %q %d times, want %d", word, n, want)
		}
	}
}

func TestBadRowLeavesDatabaseUnchanged(t *testing.T) {
	ctx := context.Background()
	good := seg(vidA, 0, 10, "good row")
	tests := []struct {
		name   string
		bad    catalog.Record
		reason string
	}{
		{"missing video id", catalog.Record{Text: "x", End: 1}, "missing video_id"},
		{"short video id", catalog.Record{VideoID: "abc", Text: "x"}, "not an 11-character YouTube id"},
		{"video id with bad characters", catalog.Record{VideoID: "abc<>efghij", Text: "x"}, "not an 11-character YouTube id"},
		{"negative start", catalog.Record{VideoID: vidA, Start: -1, End: 3, Text: "x"}, "negative seconds"},
		{"end before start", catalog.Record{VideoID: vidA, Start: 20, End: 3, Text: "x"}, "before start_second"},
		{"empty text", catalog.Record{VideoID: vidA, Start: 20, End: 30, Text: " \t "}, "empty text"},
		{"bad date", catalog.Record{VideoID: vidA, Text: "x", Info: &catalog.VideoInfo{Published: "last Tuesday"}}, `published "last Tuesday" is not a date`},
		{"bad channel id", catalog.Record{VideoID: vidA, Text: "x", Info: &catalog.VideoInfo{ChannelID: "UC x/y"}}, "not a channel id"},
		{"chapter before the start", catalog.Record{VideoID: vidA, InfoOnly: true, Info: &catalog.VideoInfo{Chapters: []catalog.Chapter{{Start: -5, Title: "Intro"}}}}, "negative second"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := openTemp(t)
			if _, err := c.Import(ctx, records(seg(vidB, 0, 5, "already there")), catalog.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			before := dump(t, c)
			tt.bad.Pos = "in.jsonl:2"
			_, err := c.Import(ctx, records(good, tt.bad, seg(vidB, 50, 60, "after")), catalog.ImportOptions{})
			var rowErr *catalog.RowError
			if !errors.As(err, &rowErr) {
				t.Fatalf("err = %v, want a RowError", err)
			}
			if rowErr.Pos != "in.jsonl:2" || !strings.Contains(rowErr.Error(), tt.reason) {
				t.Errorf("error %q, want position in.jsonl:2 and %q", rowErr, tt.reason)
			}
			if after := dump(t, c); after != before {
				t.Errorf("failed import changed the catalog:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func TestReadErrorAndCancelLeaveDatabaseUnchanged(t *testing.T) {
	c, _ := openTemp(t)
	ctx := context.Background()
	if _, err := c.Import(ctx, records(seg(vidB, 0, 5, "already there")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	before := dump(t, c)

	readErr := errors.New("disk on fire")
	failing := func(yield func(catalog.Record, error) bool) {
		if !yield(seg(vidA, 0, 1, "fine"), nil) {
			return
		}
		yield(catalog.Record{}, readErr)
	}
	if _, err := c.Import(ctx, failing, catalog.ImportOptions{}); !errors.Is(err, readErr) {
		t.Errorf("err = %v, want the read error", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancelling := func(yield func(catalog.Record, error) bool) {
		for i := range 100 {
			if i == 50 {
				cancel()
			}
			if !yield(seg(vidA, i*10, i*10+10, "row"), nil) {
				return
			}
		}
	}
	if _, err := c.Import(cctx, cancelling, catalog.ImportOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if after := dump(t, c); after != before {
		t.Errorf("failed imports changed the catalog:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestVideosOrderAndPaging(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	rs := []catalog.Record{
		{VideoID: "aaaaaaaaaaa", Text: "x", Title: "zebra talk"},
		{VideoID: "bbbbbbbbbbb", Text: "x", Title: ""},
		{VideoID: "ccccccccccc", Text: "x", Title: "Apple talk"},
		{VideoID: "ddddddddddd", Text: "x", Title: "mango talk"},
	}
	if _, err := c.Import(ctx, records(rs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for off := 0; off < 4; off += 2 {
		vs, err := c.Videos(ctx, off, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			got = append(got, v.ID)
		}
	}
	want := []string{"ccccccccccc", "ddddddddddd", "aaaaaaaaaaa", "bbbbbbbbbbb"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("order = %v, want %v (by title, case-insensitive, untitled last)", got, want)
	}
}

func TestImportKeepsInsertTriggerForOtherWriters(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	triggerSQL := func() string {
		var sql string
		if err := c.DB().QueryRow(`SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('segments_ai', 'segments_au') ORDER BY name)`).Scan(&sql); err != nil {
			t.Fatal(err)
		}
		return sql
	}
	fromMigration := triggerSQL()
	if _, err := c.Import(ctx, records(seg(vidA, 0, 10, "imported words")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := triggerSQL(); got != fromMigration {
		t.Errorf("import recreated the trigger as\n%s\nmigration has\n%s", got, fromMigration)
	}
	// A row written by another tool is still indexed, and the import's
	// rows were indexed in bulk.
	if _, err := c.DB().Exec(`INSERT INTO segments (video_id, start_second, end_second, text) VALUES (?, 20, 30, 'external zebra')`, vidA); err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"zebra", "imported"} {
		var n int
		if err := c.DB().QueryRow(`SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?`, word).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s indexed %d times (%v), want 1", word, n, err)
		}
	}
	if _, err := c.DB().Exec(`INSERT INTO segments_fts (segments_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("FTS integrity check: %v", err)
	}
}

func TestSkipInvalidImportsTheRest(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	var rs []catalog.Record
	for i := range 30 {
		rs = append(rs, seg(vidA, i*10, i*10+10, fmt.Sprintf("line %d", i)))
		rs = append(rs, catalog.Record{VideoID: "bad", Text: "x"})
	}
	stats, err := c.Import(ctx, records(rs...), catalog.ImportOptions{SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Segments != 30 || stats.Skipped != 30 || len(stats.Problems) != catalog.MaxReportedProblems || stats.Inserted != 30 || stats.VideosAdded != 1 {
		t.Errorf("stats %+v", stats)
	}
	if p := stats.Problems[0]; p.Pos != "test.jsonl:2" || !strings.Contains(p.Error(), "11-character") {
		t.Errorf("first problem %v", p)
	}
	// A read error still stops a lenient import, changing nothing.
	before := dump(t, c)
	failing := func(yield func(catalog.Record, error) bool) {
		if yield(seg(vidB, 0, 1, "fine"), nil) {
			yield(catalog.Record{}, errors.New("disk on fire"))
		}
	}
	if _, err := c.Import(ctx, failing, catalog.ImportOptions{SkipInvalid: true}); err == nil {
		t.Error("a read error was skipped")
	}
	if dump(t, c) != before {
		t.Error("a failed lenient import changed the catalog")
	}
}

// clock is a time a test moves forward by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestImportStatsCountChanges(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	c, err := catalog.Open(ctx, filepath.Join(t.TempDir(), "test.db"), catalog.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	first := []catalog.Record{seg(vidA, 0, 10, "one"), seg(vidA, 10, 20, "two")}
	stats, err := c.Import(ctx, records(first...), catalog.ImportOptions{})
	if err != nil || stats.Inserted != 2 || stats.Updated != 0 || stats.Unchanged != 0 || stats.VideosAdded != 1 {
		t.Fatalf("first import %+v, %v", stats, err)
	}
	v1, _ := c.Video(ctx, vidA)
	second := []catalog.Record{seg(vidA, 0, 10, "one"), seg(vidA, 10, 20, "TWO"), seg(vidA, 20, 30, "three"), seg(vidB, 0, 5, "b")}
	clk.advance(time.Hour)
	stats, err = c.Import(ctx, records(second...), catalog.ImportOptions{})
	if err != nil || stats.Inserted != 2 || stats.Updated != 1 || stats.Unchanged != 1 || stats.VideosAdded != 1 || stats.VideosUpdated != 1 || stats.Videos != 2 {
		t.Fatalf("second import %+v, %v", stats, err)
	}
	v2, _ := c.Video(ctx, vidA)
	if !v1.ImportedAt.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) || !v2.ImportedAt.Equal(time.Date(2026, 1, 2, 4, 4, 5, 0, time.UTC)) {
		t.Errorf("imported_at %v → %v for a changed video, want the clock's times", v1.ImportedAt, v2.ImportedAt)
	}
	clk.advance(time.Hour)
	if _, err := c.Import(ctx, records(second...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if v3, _ := c.Video(ctx, vidA); !v3.ImportedAt.Equal(v2.ImportedAt) {
		t.Errorf("an unchanged re-import moved imported_at %v → %v", v2.ImportedAt, v3.ImportedAt)
	}
}

func TestValidateWritesNothing(t *testing.T) {
	stats, err := catalog.Validate(context.Background(), records(seg(vidA, 0, 10, "a"), seg(vidB, 0, 10, "b"), catalog.Record{VideoID: vidA, Text: ""}), catalog.ImportOptions{SkipInvalid: true})
	if err != nil || stats.Segments != 2 || stats.Videos != 2 || stats.Skipped != 1 {
		t.Errorf("validate: %+v, %v", stats, err)
	}
	if _, err := catalog.Validate(context.Background(), records(catalog.Record{VideoID: vidA, Text: ""}), catalog.ImportOptions{}); err == nil {
		t.Error("a strict validation passed a bad row")
	}
}

func TestDeleteAndInfo(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	if _, err := c.Import(ctx, records(seg(vidA, 0, 10, "alpha words"), seg(vidA, 10, 20, "more alpha"), seg(vidB, 0, 10, "beta words")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	info, err := c.Info(ctx)
	if err != nil || info.Videos != 2 || info.Segments != 3 || info.SchemaVersion < 5 || info.SizeBytes == 0 || info.LastImport == "" {
		t.Fatalf("info %+v, %v", info, err)
	}
	before := dump(t, c)
	if _, err := c.Delete(ctx, []string{vidA, "nopenopenop"}); !errors.Is(err, catalog.ErrNotFound) || !strings.Contains(err.Error(), "nopenopenop") {
		t.Errorf("delete with an unknown id: %v", err)
	}
	if dump(t, c) != before {
		t.Error("a failed delete changed the catalog")
	}
	stats, err := c.Delete(ctx, []string{vidA})
	if err != nil || stats != (catalog.DeleteStats{Videos: 1, Segments: 2}) {
		t.Fatalf("delete: %+v, %v", stats, err)
	}
	if _, err := c.Video(ctx, vidA); !errors.Is(err, catalog.ErrNotFound) {
		t.Error("deleted video still there")
	}
	for word, want := range map[string]int{"alpha": 0, "beta": 1} {
		var n int
		if err := c.DB().QueryRow(`SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?`, word).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s in the index %d times, want %d", word, n, want)
		}
	}
	var titles int
	if err := c.DB().QueryRow(`SELECT count(*) FROM videos_fts WHERE videos_fts MATCH ?`, `"Title"`).Scan(&titles); err != nil {
		t.Fatal(err)
	}
	if titles != 1 {
		t.Errorf("title index holds %d titles, want 1", titles)
	}
	if _, err := c.DB().Exec(`INSERT INTO segments_fts (segments_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("FTS integrity: %v", err)
	}
}

func TestImportRewritingItsOwnRowsKeepsIndexSound(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	if _, err := c.Import(ctx, records(seg(vidB, 0, 10, "old zebra")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// The same segment twice in one import, and a change to one stored
	// before: the index holds each segment's last text, once.
	_, err := c.Import(ctx, records(seg(vidA, 0, 10, "first giraffe"), seg(vidA, 0, 12, "second lion"), seg(vidB, 0, 10, "new okapi")), catalog.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for word, want := range map[string]int{"giraffe": 0, "lion": 1, "zebra": 0, "okapi": 1} {
		var n int
		if err := c.DB().QueryRow(`SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?`, word).Scan(&n); err != nil || n != want {
			t.Errorf("%s indexed %d times (%v), want %d", word, n, err, want)
		}
	}
	if _, err := c.DB().Exec(`INSERT INTO segments_fts (segments_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Errorf("FTS integrity: %v", err)
	}
	var triggers string
	if err := c.DB().QueryRow(`SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'segments' ORDER BY name)`).Scan(&triggers); err != nil {
		t.Fatal(err)
	}
	if triggers != "segments_ad,segments_ai,segments_au" {
		t.Errorf("triggers after import: %s", triggers)
	}
}

func TestVersionChangesWithTheCatalog(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	version := func() int64 {
		v, err := c.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v.N
	}
	v0 := version()
	rs := []catalog.Record{seg(vidA, 0, 10, "one"), seg(vidB, 0, 10, "two")}
	if _, err := c.Import(ctx, records(rs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if v1 <= v0 {
		t.Errorf("import: version %d → %d", v0, v1)
	}
	if _, err := c.Import(ctx, records(rs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v1 {
		t.Errorf("an unchanged re-import moved the version %d → %d", v1, v)
	}
	retitled := seg(vidA, 0, 10, "one")
	retitled.Title = "A new title"
	if _, err := c.Import(ctx, records(retitled), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	v2 := version()
	if v2 <= v1 {
		t.Errorf("a new title did not move the version")
	}
	if _, err := c.Delete(ctx, []string{vidB}); err != nil {
		t.Fatal(err)
	}
	if version() <= v2 {
		t.Errorf("a delete did not move the version")
	}
}

func TestOpenReadOnlyNeverWrites(t *testing.T) {
	ctx := context.Background()
	c, path := openTemp(t)
	if _, err := c.Import(ctx, records(seg(vidA, 0, 10, "hello")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	r, err := catalog.OpenReadOnly(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if tot, err := r.Totals(ctx); err != nil || tot.Segments != 1 {
		t.Errorf("reading: %+v, %v", tot, err)
	}
	if _, err := r.DB().Exec(`DELETE FROM segments`); err == nil {
		t.Error("a read-only catalog wrote")
	}
	// The writer goes on beside it, and the reader sees the new catalog.
	if _, err := c.Import(ctx, records(seg(vidB, 0, 10, "more")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if tot, _ := r.Totals(ctx); tot.Segments != 2 {
		t.Errorf("the reader sees %d segments after the import, want 2", tot.Segments)
	}
}

// TestSegmentRangesMapEverySegment: after imports, re-imports and deletes,
// the runs name the video of every segment, and only of existing ones.
func TestSegmentRangesMapEverySegment(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	steps := [][]catalog.Record{
		{seg(vidA, 0, 10, "a0"), seg(vidA, 10, 20, "a1"), seg(vidB, 0, 10, "b0"), seg(vidA, 20, 30, "a2")},
		{seg(vidB, 10, 20, "b1"), seg(vidA, 0, 10, "a0 changed"), seg("ccccccccccc", 0, 5, "c0")},
	}
	check := func() {
		t.Helper()
		rs, err := c.SegmentRanges(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := c.DB().Query(`SELECT id, video_id FROM segments`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id int64
			var video string
			if err := rows.Scan(&id, &video); err != nil {
				t.Fatal(err)
			}
			n++
			found := ""
			for _, r := range rs {
				if r.FirstID <= id && id <= r.LastID {
					found = r.VideoID
				}
			}
			if found != video {
				t.Errorf("segment %d of %s mapped to %q", id, video, found)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		covered := int64(0)
		for _, r := range rs {
			covered += r.LastID - r.FirstID + 1
		}
		if covered != int64(n) {
			t.Errorf("ranges cover %d ids for %d segments", covered, n)
		}
	}
	for _, step := range steps {
		if _, err := c.Import(ctx, records(step...), catalog.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		check()
	}
	if _, err := c.Delete(ctx, []string{vidB}); err != nil {
		t.Fatal(err)
	}
	check()
}

// TestDerivedTablesAfterDeletingTheNewest: deleting the newest video
// frees its ids, and the next import reuses them (SQLite's rowid rule);
// its segments still reach the champion lists and the shingles of
// repeated-text detection, which had already gone past those ids.
func TestDerivedTablesAfterDeletingTheNewest(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	const vidC = "cccccccccc1"
	for _, recs := range [][]catalog.Record{
		{seg(vidA, 0, 10, "alpha words said first"), seg(vidA, 10, 20, "more alpha said later")},
		{seg(vidB, 0, 10, "beta words said first"), seg(vidB, 10, 20, "more beta said later")},
	} {
		if _, err := c.Import(ctx, records(recs...), catalog.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Delete(ctx, []string{vidB}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, records(seg(vidC, 0, 10, "zebra words said first"), seg(vidC, 10, 20, "more zebra said later")), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	rows, err := c.DB().Query(`SELECT id FROM segments WHERE video_id = ? ORDER BY id`, vidC)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != 3 {
		t.Fatalf("the new video's ids are %v, want the freed 3 and 4 (the case under test)", ids)
	}
	var docs, shingled int
	if err := c.DB().QueryRow(`SELECT coalesce(sum(docs), 0) FROM segment_champions WHERE term = 'zebra'`).Scan(&docs); err != nil {
		t.Fatal(err)
	}
	if err := c.DB().QueryRow(`SELECT count(*) FROM segment_shingles WHERE segment_id IN (?, ?)`, ids[0], ids[1]).Scan(&shingled); err != nil {
		t.Fatal(err)
	}
	if docs != 2 || shingled == 0 {
		t.Errorf("the new video's segments: %d in the champion lists of zebra (want 2), %d shingles (want some)", docs, shingled)
	}
}

// TestOpenNewLoadsWithoutAJournalThenSeals: OpenNew refuses a path that
// exists; a database it loads is, once sealed, the same as one imported
// the usual way, in WAL mode.
func TestOpenNewLoadsWithoutAJournalThenSeals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	rows := []catalog.Record{seg(vidA, 0, 10, "the first line"), seg(vidA, 10, 20, "the second line"), seg(vidB, 0, 30, "another video")}
	// One clock for both imports: the two are compared, import times too,
	// and a second may pass between them (it did under -race in CI).
	at := catalog.WithClock(func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) })
	usual, err := catalog.Open(ctx, filepath.Join(dir, "usual.db"), at)
	if err != nil {
		t.Fatal(err)
	}
	defer usual.Close()
	if _, err := usual.Import(ctx, records(rows...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := catalog.OpenNew(ctx, filepath.Join(dir, "usual.db")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("OpenNew on an existing file: %v", err)
	}
	c, err := catalog.OpenNew(ctx, filepath.Join(dir, "new.db"), at)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var mode string
	if err := c.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "off" {
		t.Errorf("journal mode while loading: %q %v", mode, err)
	}
	if _, err := c.Import(ctx, records(rows...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Seal(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode once sealed: %q %v", mode, err)
	}
	if got, want := dump(t, c), dump(t, usual); got != want {
		t.Errorf("loaded:\n%s\nimported the usual way:\n%s", got, want)
	}
}

// TestRewrittenToNoWordsLosesItsMark rewrites a line of repeated text to
// one without a word (no shingle would lead the marking back to it).
func TestRewrittenToNoWordsLosesItsMark(t *testing.T) {
	ctx := context.Background()
	c, _ := openTemp(t)
	read := "This episode is brought to you by Acme Mattress, the mattress that helps you sleep through the night; go to acme dot com slash talks for ten percent off your first order today"
	var rs []catalog.Record
	for _, v := range []string{"sponsor_001", "sponsor_002", "sponsor_003"} {
		rs = append(rs, catalog.Record{Pos: v, VideoID: v, Text: read, Start: 0, End: 10})
	}
	if _, err := c.Import(ctx, records(rs...), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if reps, _ := c.RepeatedIn(ctx, "sponsor_002"); len(reps) != 1 {
		t.Fatalf("the read said in three videos is not marked: %+v", reps)
	}
	if _, err := c.Import(ctx, records(catalog.Record{Pos: "x", VideoID: "sponsor_002", Text: "♪ ♪", Start: 0, End: 10}), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"sponsor_001", "sponsor_002", "sponsor_003"} {
		if reps, _ := c.RepeatedIn(ctx, v); len(reps) != 0 {
			t.Errorf("%s: still marked after the read is said in two videos: %+v", v, reps)
		}
	}
}
