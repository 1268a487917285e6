package ingest_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

// readPaths reads files with Read and returns every record, or the first
// error.
func readPaths(t *testing.T, opts ingest.Options, paths ...string) ([]catalog.Record, error) {
	t.Helper()
	seq, _, err := ingest.Read(paths, opts)
	if err != nil {
		return nil, err
	}
	var recs []catalog.Record
	for r, err := range seq {
		if err != nil {
			return recs, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// datasetRows is what every dataset-shaped file in testdata holds (texts
// vary with each format's quirks and are checked apart).
var datasetRows = []struct {
	video, title, thumbnail string
	start, end              int
}{
	{"MpdbFLXOOIw", "Supervised Contrastive Learning", "https://i.ytimg.com/vi/MpdbFLXOOIw/hqdefault.jpg", 838, 865},
	{"MpdbFLXOOIw", "Supervised Contrastive Learning", "", 865, 893},
	{"5cySIwg49RI", "", "", 3725, 3750},
}

func TestDatasetFormats(t *testing.T) {
	for _, tt := range []struct {
		file  string
		lines []int // of each row
		texts []string
	}{
		{"dataset.jsonl", []int{1, 3, 4}, []string{"them on the same side of the decision boundary", `objective now you still all you want to do, "quoted" & <tagged>`, "an hour and more into the talk"}},
		{"dataset.json", []int{2, 13, 22}, []string{"them on the same side of the decision boundary", `objective now you still all you want to do, "quoted" & <tagged>`, "an hour and more into the talk"}},
		{"dataset.csv", []int{2, 3, 4}, []string{"them on the same side of the decision boundary", `objective now you still all you want to do, "quoted" & <tagged>`, "an hour and more,\ninto the talk"}},
		{"dataset.parquet", nil, []string{"them on the same side of the decision boundary", `objective now you still all you want to do, "quoted" & <tagged>`, "an hour and more into the talk"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			recs, err := readPaths(t, ingest.Options{}, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != len(datasetRows) {
				t.Fatalf("%d records", len(recs))
			}
			for i, want := range datasetRows {
				r := recs[i]
				if r.VideoID != want.video || r.Title != want.title || r.Thumbnail != want.thumbnail || r.Start != want.start || r.End != want.end || r.Text != tt.texts[i] {
					t.Errorf("row %d = %+v", i, r)
				}
				wantPos := path + ":row " + strconv.Itoa(i+1)
				if tt.lines != nil {
					wantPos = path + ":" + strconv.Itoa(tt.lines[i])
				}
				if r.Pos != wantPos {
					t.Errorf("row %d at %s, want %s", i, r.Pos, wantPos)
				}
			}
		})
	}
}

func TestTSV(t *testing.T) {
	recs, err := readPaths(t, ingest.Options{}, "testdata/dataset.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Text != `the "decision boundary` || recs[0].Start != 838 || recs[1].Start != 3725 || recs[1].Pos != "testdata/dataset.tsv:3" {
		t.Errorf("records %+v", recs)
	}
}

func TestSubtitleFormats(t *testing.T) {
	// SRT named as yt-dlp names it: id and title from the name.
	recs, err := readPaths(t, ingest.Options{}, "testdata/Transfer Learning [mPFq5KMxKVw].en.srt")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("srt: %d segments: %+v", len(recs), recs)
	}
	r := recs[0]
	if r.VideoID != "mPFq5KMxKVw" || r.Title != "Transfer Learning" || r.Start != 1 || r.End != 3727 ||
		r.Text != "Welcome to & the lecture on transfer learning and an hour later, still talking" {
		t.Errorf("srt segment %+v", r)
	}

	// Rolling auto-captions: each line once.
	recs, err = readPaths(t, ingest.Options{}, "testdata/MpdbFLXOOIw.en.vtt")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].VideoID != "MpdbFLXOOIw" || recs[0].Start != 0 || recs[0].End != 9 ||
		recs[0].Text != "hello everyone and welcome to the paper review of supervised contrastive learning" {
		t.Errorf("vtt segments %+v", recs)
	}

	// youtube-transcript-api JSON, detected by its keys; -video and
	// -title override the name.
	recs, err = readPaths(t, ingest.Options{Title: "Manifold Mixup"}, "testdata/1L83tM8nwHU.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].VideoID != "1L83tM8nwHU" || recs[0].Title != "Manifold Mixup" || recs[0].End != 7 ||
		recs[0].Text != "so today we talk about manifold mixup & why it works [Music]" {
		t.Errorf("captions %+v", recs)
	}
	recs, err = readPaths(t, ingest.Options{VideoID: "aaaaaaaaaaa"}, "testdata/1L83tM8nwHU.json")
	if err != nil || recs[0].VideoID != "aaaaaaaaaaa" {
		t.Errorf("-video: %+v, %v", recs, err)
	}

	// A name without an id needs -video.
	dir := t.TempDir()
	noID := filepath.Join(dir, "lecture.srt")
	os.WriteFile(noID, []byte("1\n00:00:01,000 --> 00:00:02,000\nhi\n"), 0o644)
	if _, err := readPaths(t, ingest.Options{}, noID); err == nil || !strings.Contains(err.Error(), "-video") {
		t.Errorf("no id: %v", err)
	}
}

func TestMergeMakesDatasetSizedSegments(t *testing.T) {
	var srt strings.Builder
	for i := range 200 {
		// 10 words of about 5 characters a cue, 3 s each.
		srt.WriteString(strconv.Itoa(i+1) + "\n" + stampOf(i*3) + " --> " + stampOf(i*3+3) + "\n")
		srt.WriteString(strings.Repeat("word"+strconv.Itoa(i%10)+" ", 10) + "\n\n")
	}
	var segs []catalog.Record
	for r, err := range ingest.Merge(ingest.Subtitles(strings.NewReader(srt.String()), "x.srt", "MpdbFLXOOIw", "")) {
		if err != nil {
			t.Fatal(err)
		}
		segs = append(segs, r)
	}
	for i, s := range segs {
		if i < len(segs)-1 && (len(s.Text) < 360 || len(s.Text) > 490) {
			t.Errorf("segment %d has %d characters", i, len(s.Text))
		}
		if i > 0 && (s.Start <= segs[i-1].Start || s.Start < segs[i-1].End) {
			t.Errorf("segment %d starts at %d after %d–%d", i, s.Start, segs[i-1].Start, segs[i-1].End)
		}
	}
	if segs[0].Start != 0 || segs[len(segs)-1].End != 600 {
		t.Errorf("timings %d … %d", segs[0].Start, segs[len(segs)-1].End)
	}
}

func stampOf(sec int) string {
	two := func(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
	return two(sec/3600) + ":" + two(sec/60%60) + ":" + two(sec%60) + ",000"
}

func TestDetection(t *testing.T) {
	dir := t.TempDir()
	jsonlAsJSON := filepath.Join(dir, "rows.json")
	os.WriteFile(jsonlAsJSON, []byte(`{"video_id":"MpdbFLXOOIw","text":"t","start_second":1,"end_second":2}`+"\n"), 0o644)
	if recs, err := readPaths(t, ingest.Options{}, jsonlAsJSON); err != nil || len(recs) != 1 {
		t.Errorf("JSON Lines in a .json: %v, %v", recs, err)
	}
	unknown := filepath.Join(dir, "notes.xml")
	os.WriteFile(unknown, []byte("hello"), 0o644)
	if _, err := readPaths(t, ingest.Options{}, unknown); err == nil || !strings.Contains(err.Error(), "-format") {
		t.Errorf("unknown extension: %v", err)
	}
	// -format overrides the extension.
	os.WriteFile(unknown, []byte(`{"video_id":"MpdbFLXOOIw","text":"t","start_second":1,"end_second":2}`), 0o644)
	if recs, err := readPaths(t, ingest.Options{Format: ingest.JSONL}, unknown); err != nil || len(recs) != 1 {
		t.Errorf("-format jsonl: %v, %v", recs, err)
	}
	if _, err := ingest.ParseFormat("xml"); err == nil {
		t.Error("unknown -format accepted")
	}
}

func TestDirectoriesAreWalked(t *testing.T) {
	seq, progress, err := ingest.Read([]string{"testdata"}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	videos := map[string]int{}
	for r, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		videos[r.VideoID]++
	}
	// jsonl, json, csv, parquet: 2+1 each; tsv: 1+1; srt, vtt, captions;
	// the speakers dataset in 5 formats; yt-dlp's info and subtitles; the
	// speech formats (Whisper's language and the text transcripts' front
	// matter describe their videos in records of their own).
	want := map[string]int{
		"MpdbFLXOOIw": 10, "5cySIwg49RI": 5, "mPFq5KMxKVw": 1, "1L83tM8nwHU": 1,
		"Lp9dQ2wEr4T": 15, "Xk3fQ9bT2mA": 4 + 1, "Q7uVw2pLm0s": 4,
		"b9Zr4TnQx1E": 6 + 1, "Rv5nK2pXw9E": 4 + 6, "Ot7rP3mWq2Z": 4 + 2,
		"Hq4cM1nVt8Y": 3, "Wp2sE7dRk5A": 1 + 1, "Zx8nB3vLq6C": 3 + 1,
	}
	if !maps.Equal(videos, want) {
		t.Errorf("videos %v\nwant   %v", videos, want)
	}
	if progress.Files() != 22 || progress.Bytes() < progress.TotalBytes*9/10 || progress.TotalBytes == 0 {
		t.Errorf("progress: %d files, %d of %d bytes", progress.Files(), progress.Bytes(), progress.TotalBytes)
	}
}

func TestLenientReadersGoOn(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"bad.jsonl": `{"video_id":"MpdbFLXOOIw","text":"a","start_second":1,"end_second":2}` + "\n{broken\n" + `{"video_id":"MpdbFLXOOIw","text":"b","start_second":3,"end_second":4}` + "\n",
		"bad.csv":   "video_id,text,start_second,end_second\nMpdbFLXOOIw,a,1,2\nMpdbFLXOOIw,b,soon,4\nMpdbFLXOOIw,c,5,6\n",
		"bad.srt":   "1\n00:00:01,000 --> 00:00:02,000\na\n\n2\n00:99:01,000 --> 00:00:02,000\nb\n\n3\n00:00:05,000 --> 00:00:06,000\nc\n",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		seq, _, err := ingest.Read([]string{p}, ingest.Options{VideoID: "MpdbFLXOOIw"})
		if err != nil {
			t.Fatal(err)
		}
		good, bad := 0, 0
		for _, err := range seq {
			var re *catalog.RowError
			switch {
			case err == nil:
				good++
			case errors.As(err, &re):
				bad++
			default:
				t.Fatalf("%s: %v", name, err)
			}
		}
		if bad != 1 || (good != 2 && !strings.HasSuffix(name, ".srt")) || (strings.HasSuffix(name, ".srt") && good != 1) {
			t.Errorf("%s: %d good, %d bad", name, good, bad)
		}
	}
}
