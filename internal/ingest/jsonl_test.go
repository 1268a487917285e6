package ingest_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

func readAll(t *testing.T, input string) ([]catalog.Record, error) {
	t.Helper()
	var recs []catalog.Record
	for r, err := range ingest.JSONLines(strings.NewReader(input), "in.jsonl") {
		if err != nil {
			return recs, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

func TestJSONLinesValues(t *testing.T) {
	tests := []struct {
		name       string
		line       string
		start, end int
	}{
		{"numbers", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":838,"end_second":865}`, 838, 865},
		{"numbers as strings", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":"838","end_second":"865"}`, 838, 865},
		{"thousands separators", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":"1,021","end_second":"1,050"}`, 1021, 1050},
		{"fractions round down", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":12.9,"end_second":"30.5"}`, 12, 30},
		{"extra fields ignored", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":1,"end_second":2,"url":"u","start_timestamp":"0:01","x":[1,{}]}`, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := readAll(t, tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 || recs[0].Start != tt.start || recs[0].End != tt.end || recs[0].VideoID != "MpdbFLXOOIw" || recs[0].Pos != "in.jsonl:1" {
				t.Errorf("got %+v, want start %d end %d", recs, tt.start, tt.end)
			}
		})
	}
}

func TestJSONLinesQuirks(t *testing.T) {
	// BOM, CRLF, blank lines, null title, no final newline.
	input := "\uFEFF{\"video_id\":\"MpdbFLXOOIw\",\"text\":\"a\",\"start_second\":0,\"end_second\":1,\"title\":null}\r\n\r\n\n" +
		`{"video_id":"MpdbFLXOOIw","text":"b","start_second":1,"end_second":2,"title":"T","thumbnail":"https://x/y.jpg"}`
	recs, err := readAll(t, input)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	if recs[0].Title != "" || recs[1].Title != "T" || recs[1].Thumbnail != "https://x/y.jpg" {
		t.Errorf("records = %+v", recs)
	}
	if recs[1].Pos != "in.jsonl:4" {
		t.Errorf("second record at %s, want in.jsonl:4 (blank lines count)", recs[1].Pos)
	}
}

func TestJSONLinesBadRows(t *testing.T) {
	good := `{"video_id":"MpdbFLXOOIw","text":"t","start_second":1,"end_second":2}` + "\n"
	tests := []struct {
		name, line, reason string
	}{
		{"bad JSON", `{"video_id": "MpdbFLXOOIw", "text": `, "bad JSON"},
		{"not an object", `[1,2]`, "bad JSON"},
		{"missing video_id", `{"text":"t","start_second":1,"end_second":2}`, "missing video_id"},
		{"numeric video_id", `{"video_id":12345678901,"text":"t","start_second":1,"end_second":2}`, "video_id must be a string"},
		{"missing text", `{"video_id":"MpdbFLXOOIw","start_second":1,"end_second":2}`, "missing text"},
		{"missing start", `{"video_id":"MpdbFLXOOIw","text":"t","end_second":2}`, "missing start_second"},
		{"non-numeric start", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":"soon","end_second":2}`, "start_second: \"soon\" is not a number"},
		{"negative end", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":1,"end_second":"-2"}`, "end_second: \"-2\" is negative"},
		{"NaN", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":"NaN","end_second":2}`, "not a number"},
		{"boolean seconds", `{"video_id":"MpdbFLXOOIw","text":"t","start_second":true,"end_second":2}`, "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := readAll(t, good+good+tt.line+"\n"+good)
			var rowErr *catalog.RowError
			if !errors.As(err, &rowErr) {
				t.Fatalf("err = %v, want a RowError", err)
			}
			if rowErr.Pos != "in.jsonl:3" || !strings.Contains(rowErr.Error(), tt.reason) {
				t.Errorf("error %q, want at in.jsonl:3 with %q", rowErr, tt.reason)
			}
			if len(recs) != 2 {
				t.Errorf("read %d records before the error, want 2", len(recs))
			}
		})
	}
}

func TestJSONLinesTooLongLine(t *testing.T) {
	long := `{"video_id":"MpdbFLXOOIw","text":"` + strings.Repeat("a", 2<<20) + `","start_second":1,"end_second":2}`
	_, err := readAll(t, long)
	if err == nil || !strings.Contains(err.Error(), "in.jsonl:1: line longer than") {
		t.Errorf("err = %v", err)
	}
}

func TestReadNamesEachFile(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.jsonl")
	b := filepath.Join(dir, "b.jsonl")
	os.WriteFile(a, []byte(`{"video_id":"MpdbFLXOOIw","text":"t","start_second":1,"end_second":2}`+"\n"), 0o644)
	os.WriteFile(b, []byte("\n{oops\n"), 0o644)
	seq, _, err := ingest.Read([]string{a, b}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var last error
	for _, err := range seq {
		if err != nil {
			last = err
			break
		}
		n++
	}
	if n != 1 || last == nil || !strings.HasPrefix(last.Error(), b+":2: bad JSON") {
		t.Errorf("read %d, err %v; want 1 then %s:2: bad JSON", n, last, b)
	}
	if _, _, err := ingest.Read([]string{filepath.Join(dir, "missing.jsonl")}, ingest.Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

// FuzzJSONLines: no input panics, and every error carries a position.
func FuzzJSONLines(f *testing.F) {
	f.Add(`{"video_id":"MpdbFLXOOIw","text":"t","start_second":"1,021","end_second":2}`)
	f.Add("\uFEFF{}\r\n[]\n\"x\"\n")
	f.Add(`{"video_id":null,"start_second":{"a":1}}`)
	f.Fuzz(func(t *testing.T, input string) {
		for _, err := range ingest.JSONLines(strings.NewReader(input), "f") {
			if err != nil && !strings.HasPrefix(err.Error(), "f:") {
				t.Fatalf("error without position: %v", err)
			}
		}
	})
}
