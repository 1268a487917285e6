package ingest_test

import (
	"strings"
	"testing"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

func readSubtitles(t *testing.T, input string) ([]catalog.Record, error) {
	t.Helper()
	var recs []catalog.Record
	for r, err := range ingest.Subtitles(strings.NewReader(input), "in.srt", "MpdbFLXOOIw", "Title") {
		if err != nil {
			return recs, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

func TestSubtitlesSRT(t *testing.T) {
	input := "\uFEFF1\r\n00:00:01,500 --> 00:00:04,000\r\n<i>Hello</i> &amp; welcome\r\nsecond line\r\n\r\n" +
		"2\r\n01:02:03,000 --> 01:02:09,999\r\nan hour in\r\n\r\n" +
		"3\n00:00:05,000 --> 00:00:06,000\n\n" + // an empty cue
		"4\n00:00:07,000 --> 00:00:08,000\nno final newline"
	recs, err := readSubtitles(t, input)
	if err != nil {
		t.Fatal(err)
	}
	want := []catalog.Record{
		{Pos: "in.srt:2", Start: 1, End: 4, Text: "Hello & welcome second line"},
		{Pos: "in.srt:7", Start: 3723, End: 3729, Text: "an hour in"},
		{Pos: "in.srt:14", Start: 7, End: 8, Text: "no final newline"},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d cues: %+v", len(recs), recs)
	}
	for i, w := range want {
		r := recs[i]
		if r.Pos != w.Pos || r.Start != w.Start || r.End != w.End || r.Text != w.Text || r.VideoID != "MpdbFLXOOIw" || r.Title != "Title" {
			t.Errorf("cue %d = %+v, want %+v", i, r, w)
		}
	}
}

func TestSubtitlesVTT(t *testing.T) {
	input := "WEBVTT - a title\nKind: captions\n\nNOTE a comment\nspanning lines\n\nSTYLE\n::cue { color: red }\n\n" +
		"t0\n00:00.000 --> 00:21.000 align:start position:0%\nfirst <c.colorE5E5E5>cue</c><00:00:02.000> here\n\n" +
		"00:00:21.000 --> 00:00:38.000\n&lt;b&gt; is not a tag\n"
	recs, err := readSubtitles(t, input)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Text != "first cue here" || recs[0].End != 21 || recs[1].Start != 21 || recs[1].Text != "<b> is not a tag" {
		t.Errorf("cues = %+v", recs)
	}
}

func TestSubtitlesBadTiming(t *testing.T) {
	for _, bad := range []string{"00:00:01,000 -->", "00:99:01,000 --> 00:00:02,000", "soon --> later"} {
		_, err := readSubtitles(t, "1\n00:00:00,000 --> 00:00:01,000\nok\n\n2\n"+bad+"\ntext\n")
		if err == nil || !strings.HasPrefix(err.Error(), "in.srt:6: ") {
			t.Errorf("%q: err = %v, want one at in.srt:6", bad, err)
		}
	}
}

func FuzzSubtitles(f *testing.F) {
	f.Add("1\n00:00:01,500 --> 00:00:04,000\nhello\n")
	f.Add("WEBVTT\n\n00:01.000 --> 00:02.000 line:0\n<v Bob>hi</v>\n")
	f.Fuzz(func(t *testing.T, input string) {
		for r, err := range ingest.Subtitles(strings.NewReader(input), "f", "MpdbFLXOOIw", "") {
			if err != nil {
				if !strings.HasPrefix(err.Error(), "f:") {
					t.Fatalf("error without position: %v", err)
				}
				continue
			}
			if r.Start < 0 || r.End < 0 || strings.TrimSpace(r.Text) == "" {
				t.Fatalf("bad cue %+v", r)
			}
		}
	})
}
