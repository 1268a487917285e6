package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/transcripts/site/internal/catalog"
)

// check fails on an error without a position or a record the catalog
// would take as impossible.
func check(t *testing.T, name string, r catalog.Record, err error) {
	t.Helper()
	if err != nil {
		if !strings.HasPrefix(err.Error(), name) {
			t.Fatalf("error without position: %v", err)
		}
		return
	}
	if r.Start < 0 || r.End < 0 || !strings.HasPrefix(r.Pos, name) {
		t.Fatalf("bad record %+v", r)
	}
}

func FuzzDelimited(f *testing.F) {
	f.Add("video_id,text,start_second,end_second\nMpdbFLXOOIw,\"a, b\",\"1,021\",2\n", true)
	f.Add("\ufeffVIDEO_ID\ttext\tstart_second\tend_second\tx\nid\t\"t\t3\t4\t\n", false)
	f.Fuzz(func(t *testing.T, input string, comma bool) {
		sep := '\t'
		if comma {
			sep = ','
		}
		for r, err := range delimited(strings.NewReader(input), "f", sep) {
			check(t, "f", r, err)
		}
	})
}

func FuzzJSONArray(f *testing.F) {
	f.Add(`[{"video_id":"MpdbFLXOOIw","text":"t","start_second":"1,021","end_second":2},` + "\n" + `{"video_id":1}]`)
	f.Add(`[` + "\n\n" + `{}, [], "x", null]`)
	f.Fuzz(func(t *testing.T, input string) {
		for r, err := range jsonArray(strings.NewReader(input), "f") {
			check(t, "f", r, err)
		}
	})
}

func FuzzCaptions(f *testing.F) {
	f.Add(`[{"text":"hi &amp; bye","start":1.5,"duration":2},{"text":"x","start":-1}]`)
	f.Add(`[{"text":null,"start":1e308,"duration":1e308}]`)
	f.Fuzz(func(t *testing.T, input string) {
		for r, err := range Merge(captions(strings.NewReader(input), "f", "MpdbFLXOOIw", "")) {
			check(t, "f", r, err)
		}
	})
}

func FuzzParquet(f *testing.F) {
	seed, err := os.ReadFile("testdata/dataset.parquet")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("PAR1PAR1"))
	f.Fuzz(func(t *testing.T, input []byte) {
		p := filepath.Join(t.TempDir(), "f.parquet")
		if err := os.WriteFile(p, input, 0o644); err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		var n atomic.Int64
		for r, err := range parquetRows(fh, p, &n) {
			check(t, p, r, err)
		}
	})
}

func FuzzSpeechJSON(f *testing.F) {
	for _, name := range []string{"testdata/Hq4cM1nVt8Y.json", "testdata/Zx8nB3vLq6C.json", "testdata/Wp2sE7dRk5A.json"} {
		seed, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(seed))
	}
	f.Add(`{"segments": [{"start": 1e308, "end": -1, "text": null}], "language": 5}`)
	f.Fuzz(func(t *testing.T, input string) {
		for r, err := range whisperJSON(strings.NewReader(input), "f", "MpdbFLXOOIw", "") {
			check(t, "f", r, err)
		}
		for r, err := range podcastJSON(strings.NewReader(input), "f", "MpdbFLXOOIw", "") {
			check(t, "f", r, err)
		}
	})
}

func FuzzTextTranscript(f *testing.F) {
	for _, name := range []string{"testdata/rev-signal-path-13.txt", "testdata/otter-interview.txt", "testdata/Descript export [b9Zr4TnQx1E].txt"} {
		seed, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(seed))
	}
	f.Add("---\nvideo_id: MpdbFLXOOIw\n---\n[99:99] A: x\nB  1:00:00\n")
	f.Fuzz(func(t *testing.T, input string) {
		for r, err := range textTranscript(strings.NewReader(input), "f", Options{VideoID: "MpdbFLXOOIw"}) {
			check(t, "f", r, err)
		}
	})
}

func FuzzInfoJSON(f *testing.F) {
	seed, err := os.ReadFile("testdata/The Analytical Engine, explained [Xk3fQ9bT2mA].info.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(seed))
	f.Fuzz(func(t *testing.T, input string) {
		for r, err := range infoJSON(strings.NewReader(input), "f") {
			check(t, "f", r, err)
		}
	})
}
