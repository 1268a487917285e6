package ingest_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

// speakerRows are the rows of every speakers.* dataset fixture.
var speakerRows = []struct {
	start, end    int
	speaker, text string
}{
	{0, 6, "Host", "Welcome to the show. Today: how bridges stand up."},
	{6, 14, "Guest", "Compression in the arch, tension in the cable. Everything else is detail."},
	{14, 17, "Host", "Detail that took two thousand years."},
}

// turn is a merged segment as the tests below expect it.
type turn struct {
	pos          string
	start, end   int
	speaker      string
	textStarting string
}

// checkTurns compares the segments of recs (records that describe the
// video are skipped) with want.
func checkTurns(t *testing.T, recs []catalog.Record, videoID, title string, want []turn) {
	t.Helper()
	var segs []catalog.Record
	for _, r := range recs {
		if !r.InfoOnly {
			segs = append(segs, r)
		}
	}
	if len(segs) != len(want) {
		for _, s := range segs {
			t.Logf("%s %d-%d %s: %s", s.Pos, s.Start, s.End, s.Speaker, s.Text)
		}
		t.Fatalf("%d segments, want %d", len(segs), len(want))
	}
	for i, w := range want {
		s := segs[i]
		if s.VideoID != videoID || s.Title != title || s.Pos != w.pos || s.Start != w.start || s.End != w.end || s.Speaker != w.speaker || !strings.HasPrefix(s.Text, w.textStarting) {
			t.Errorf("segment %d = %s %s %q %d-%d %q: %q\nwant %s %d-%d %q: %q…", i, s.Pos, s.VideoID, s.Title, s.Start, s.End, s.Speaker, s.Text, w.pos, w.start, w.end, w.speaker, w.textStarting)
		}
	}
}

// described merges what recs say about their video, as an import would.
func described(recs []catalog.Record) (title string, info catalog.VideoInfo) {
	for _, r := range recs {
		if r.InfoOnly && r.Title != "" {
			title = r.Title
		}
		if r.Info == nil {
			continue
		}
		in := r.Info
		for dst, v := range map[*string]string{&info.ChannelID: in.ChannelID, &info.Channel: in.Channel, &info.Published: in.Published,
			&info.Description: in.Description, &info.Language: in.Language} {
			if *dst == "" {
				*dst = v
			}
		}
		if info.Tags == nil {
			info.Tags = in.Tags
		}
		if info.Duration == 0 {
			info.Duration = in.Duration
		}
		if info.Chapters == nil {
			info.Chapters = in.Chapters
		}
	}
	return title, info
}

func TestYtDLPInfoBesideSubtitles(t *testing.T) {
	const name = "testdata/The Analytical Engine, explained [Xk3fQ9bT2mA]"
	// Named as files, in either order, or found in a directory: the
	// records meet in the import by video id.
	recs, err := readPaths(t, ingest.Options{}, name+".en.vtt", name+".info.json")
	if err != nil {
		t.Fatal(err)
	}
	checkTurns(t, recs, "Xk3fQ9bT2mA", "The Analytical Engine, explained", []turn{
		{name + ".en.vtt:5", 0, 21, "Narrator", "In 1843 a translation appeared"},
		{name + ".en.vtt:14", 21, 42, "Ada Lovelace", "The Analytical Engine weaves algebraical patterns"},
		{name + ".en.vtt:20", 42, 85, "Charles Babbage", "The engine consists of two parts"},
		{name + ".en.vtt:29", 85, 131, "Narrator", "A hundred years would pass"},
	})
	last := recs[len(recs)-1]
	if !last.InfoOnly || last.VideoID != "Xk3fQ9bT2mA" || last.Title != "The Analytical Engine, explained" ||
		last.Thumbnail != "https://i.ytimg.com/vi/Xk3fQ9bT2mA/maxresdefault.jpg" || last.Pos != name+".info.json:1" {
		t.Fatalf("info record %+v", last)
	}
	want := catalog.VideoInfo{
		ChannelID: "UCq0imsn84ShAe9PBOFnoIrg", Channel: "Engines of History", Published: "20231107",
		Description: "Ada Lovelace and Charles Babbage on the machine that was never built.\n\nChapters:\n0:00 Introduction\n0:42 The mill and the store\n\n#history #computing",
		Tags:        []string{"Ada Lovelace", "Charles Babbage", "analytical engine", "history of computing"},
		Language:    "en", Duration: 131,
		Chapters: []catalog.Chapter{{Start: 0, Title: "Introduction"}, {Start: 42, Title: "The mill and the store"}},
	}
	if !reflect.DeepEqual(*last.Info, want) {
		t.Errorf("info\n%+v\nwant\n%+v", *last.Info, want)
	}
}

func TestNamedCuesInSRT(t *testing.T) {
	recs, err := readPaths(t, ingest.Options{}, "testdata/Q7uVw2pLm0s.en.srt")
	if err != nil {
		t.Fatal(err)
	}
	checkTurns(t, recs, "Q7uVw2pLm0s", "", []turn{
		{"testdata/Q7uVw2pLm0s.en.srt:2", 1, 8, "Presenter", "Good evening, and welcome to Questions from the Floor. Tonight"},
		{"testdata/Q7uVw2pLm0s.en.srt:12", 9, 17, "Dr. Grace Hopper", "They can certainly be taught to do what we tell them. The trouble"},
		{"testdata/Q7uVw2pLm0s.en.srt:21", 17, 20, "Presenter", "And if we cannot?"},
		{"testdata/Q7uVw2pLm0s.en.srt:25", 20, 24, "", "Then we get exactly"}, // a bare >> is someone unnamed
	})
}

func TestTextTranscripts(t *testing.T) {
	t.Run("Rev, with front matter", func(t *testing.T) {
		const path = "testdata/rev-signal-path-13.txt"
		recs, err := readPaths(t, ingest.Options{}, path)
		if err != nil {
			t.Fatal(err)
		}
		checkTurns(t, recs, "Rv5nK2pXw9E", "Signal Path 13: Shannon's limit", []turn{
			{path + ":11", 0, 9, "Mira Chen", "Claude Shannon wrote one paper"},
			{path + ":14", 9, 24, "Sam Okafor", "That every channel has a capacity."},
			{path + ":17", 24, 26, "Mira Chen", "Clever how?"},
			{path + ":20", 26, 56, "Sam Okafor", "Long codes."},
		})
		title, info := described(recs)
		want := catalog.VideoInfo{ChannelID: "UC4sIgnalPathPodcast00", Channel: "Signal Path", Published: "2024-02-19", Language: "en", Tags: []string{"information theory", "podcast"}}
		if title != "Signal Path 13: Shannon's limit" || !reflect.DeepEqual(info, want) {
			t.Errorf("described as %q %+v", title, info)
		}
	})
	t.Run("Descript, id from the file name", func(t *testing.T) {
		const path = "testdata/Descript export [b9Zr4TnQx1E].txt"
		recs, err := readPaths(t, ingest.Options{Title: "Signal Path 12: Hamming codes"}, path)
		if err != nil {
			t.Fatal(err)
		}
		checkTurns(t, recs, "b9Zr4TnQx1E", "Signal Path 12: Hamming codes", []turn{
			{path + ":1", 0, 7, "Mira Chen", "Welcome back to Signal Path."},
			{path + ":2", 7, 14, "Sam Okafor", "Thanks for having me."},
			{path + ":3", 14, 19, "Mira Chen", "So start at the beginning."},
			{path + ":4", 19, 41, "Sam Okafor", "Because every channel is noisy."},
			{path + ":5", 41, 44, "Mira Chen", "And the answer was parity bits."},
			{path + ":6", 44, 55, "Sam Okafor", "Parity bits placed at the powers of two."},
		})
	})
	t.Run("Otter", func(t *testing.T) {
		const path = "testdata/otter-interview.txt"
		recs, err := readPaths(t, ingest.Options{}, path)
		if err != nil {
			t.Fatal(err)
		}
		checkTurns(t, recs, "Ot7rP3mWq2Z", "Interview with a lighthouse keeper", []turn{
			{path + ":7", 2, 5, "Interviewer", "How long have you kept this light?"},
			{path + ":10", 5, 12, "Keeper", "Thirty one years this autumn."},
			{path + ":13", 12, 14, "Interviewer", "Is it lonely?"},
			{path + ":16", 14, 21, "Keeper", "People ask that."},
		})
		if _, info := described(recs); info.Published != "20220611" {
			t.Errorf("published %q", info.Published)
		}
	})
	t.Run("a long turn is cut into dataset-sized segments", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "aaaaaaaaaaa.txt")
		long := strings.Repeat("This sentence is about forty characters. ", 40)
		os.WriteFile(path, []byte("[00:00:00] Ada: "+long+"\n[00:10:00] Bob: Short.\n"), 0o644)
		recs, err := readPaths(t, ingest.Options{}, path)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) < 4 || recs[len(recs)-1].Speaker != "Bob" || recs[len(recs)-1].Start != 600 {
			t.Fatalf("%d segments: %+v", len(recs), recs)
		}
		for i, r := range recs[:len(recs)-2] {
			if r.Speaker != "Ada" || len(r.Text) < 360 || len(r.Text) > 490 || (i > 0 && r.Start <= recs[i-1].Start) {
				t.Errorf("segment %d: %d–%d %s, %d characters", i, r.Start, r.End, r.Speaker, len(r.Text))
			}
		}
	})
}

func TestPodcastingJSON(t *testing.T) {
	const path = "testdata/Hq4cM1nVt8Y.json"
	recs, err := readPaths(t, ingest.Options{}, path)
	if err != nil {
		t.Fatal(err)
	}
	// A word a segment, merged into a segment a speaker.
	checkTurns(t, recs, "Hq4cM1nVt8Y", "", []turn{
		{path + ":4", 0, 4, "Alban Brooke", "Welcome to Podcasting 2.0, the board meeting."},
		{path + ":46", 3, 8, "Adam Curry", "Thanks Alban. We have transcripts in the namespace now."},
		{path + ":100", 8, 11, "Dave Jones", "And the JSON format carries speakers."},
	})
}

func TestWhisperJSON(t *testing.T) {
	t.Run("Whisper", func(t *testing.T) {
		const path = "testdata/Wp2sE7dRk5A.json"
		recs, err := readPaths(t, ingest.Options{}, path)
		if err != nil {
			t.Fatal(err)
		}
		checkTurns(t, recs, "Wp2sE7dRk5A", "", []turn{
			{path + ":1", 0, 11, "", "Let's talk about the Fourier transform. Any periodic signal"},
		})
		if _, info := described(recs); info.Language != "en" {
			t.Errorf("language %q", info.Language)
		}
	})
	t.Run("WhisperX, diarized", func(t *testing.T) {
		const path = "testdata/Zx8nB3vLq6C.json"
		recs, err := readPaths(t, ingest.Options{}, path)
		if err != nil {
			t.Fatal(err)
		}
		checkTurns(t, recs, "Zx8nB3vLq6C", "", []turn{
			{path + ":3", 0, 3, "SPEAKER_00", "So is the sample rate high enough?"},
			{path + ":60", 2, 11, "SPEAKER_01", "It has to be more than twice the highest frequency in the signal. Otherwise"},
			{path + ":216", 10, 12, "SPEAKER_00", "Aliasing."},
		})
		if _, info := described(recs); info.Language != "en" {
			t.Errorf("language %q", info.Language)
		}
	})
}

func TestDatasetOptionalColumns(t *testing.T) {
	for file, lines := range map[string][]string{
		"speakers.jsonl":   {"1", "2", "3"},
		"speakers.json":    {"2", "13", "24"},
		"speakers.csv":     {"2", "3", "4"},
		"speakers.tsv":     {"2", "3", "4"},
		"speakers.parquet": {"row 1", "row 2", "row 3"},
	} {
		t.Run(file, func(t *testing.T) {
			path := "testdata/" + file
			recs, err := readPaths(t, ingest.Options{}, path)
			if err != nil {
				t.Fatal(err)
			}
			var want []turn
			for i, r := range speakerRows {
				want = append(want, turn{path + ":" + lines[i], r.start, r.end, r.speaker, r.text})
			}
			checkTurns(t, recs, "Lp9dQ2wEr4T", "Bridges, episode 1", want)
			for _, r := range recs {
				if r.Info == nil || r.Info.Channel != "Structures Weekly" || r.Info.ChannelID != "UCstructuresWeekly01" || r.Info.Published != "2021-03-14" {
					t.Errorf("%s: info %+v", r.Pos, r.Info)
				}
			}
		})
	}
}

// Each malformed variant stops at its line with a reason.
func TestMalformedMetadataFormats(t *testing.T) {
	for _, tt := range []struct {
		name, content, want string
	}{
		{"x.info.json", `{"id": "Xk3fQ9bT2mA", "title": "T", "duration": "long"}`, `x.info.json:1: bad JSON: duration must be a string, not a string`},
		{"y.info.json", "{\n  \"title\": \"no id\"\n}\n", "y.info.json:1: missing id"},
		{"z.info.json", "{\n  \"id\": \"Xk3fQ9bT2mA\",\n  \"chapters\": [{\"title\": \"Intro\"}]\n}\n", "z.info.json:3: chapter 1 has no start_time"},
		{"broken.info.json", "{\n  \"id\": \"Xk3fQ9bT2mA\",\n  \"title\": \n}\n", "broken.info.json:4: bad JSON"},
		{"aaaaaaaaaaa.json", "{\"version\": \"1.0.0\",\n\"segments\": [\n{\"speaker\": \"A\", \"startTime\": 1, \"body\": \"hi\"},\n{\"speaker\": \"A\", \"body\": \"there\"}\n]}", "aaaaaaaaaaa.json:4: segment 2: segment without startTime"},
		{"bbbbbbbbbbb.json", "{\"segments\": [\n{\"start\": 5, \"end\": 2, \"text\": \" backwards\"}\n]}", "bbbbbbbbbbb.json:2: segment 1: end 2 is before start 5"},
		{"ccccccccccc.json", "{\"segments\": [\n{\"start\": 0, \"end\": 2, \"text\": \"ok\"},\n{\"start\": 1,\n]}", "ccccccccccc.json:3: bad JSON"},
		{"ddddddddddd.txt", "---\ntitle: x\nnot a pair\n---\n[00:00] A: hi\n", "ddddddddddd.txt:3: front matter line"},
		{"eeeeeeeeeee.txt", "---\ndate: someday\n---\n[00:00] A: hi\n", `eeeeeeeeeee.txt:2: published "someday" is not a date`},
		{"fffffffffff.txt", "Just some notes\n[00:00] A: hi\n", "fffffffffff.txt:1: text before the first timestamped turn"},
		{"ggggggggggg.txt", "[00:10] A: later\n[00:05] B: earlier\n", "ggggggggggg.txt:2: turn at 0:00:05 comes before the previous one at 0:00:10"},
		{"notes.txt", "[00:00] A: hi\n", "cannot tell the video id"},
		{"hhhhhhhhhhh.txt", "---\nvideo_id: nope\n---\n", "hhhhhhhhhhh.txt:2: video_id \"nope\" is not a YouTube video id"},
		{"speakers.csv", "video_id,text,start_second,end_second,published\nLp9dQ2wEr4T,hi,0,1,2021-13-45\n", `speakers.csv:2: published "2021-13-45" is not a date`},
		{"channel.jsonl", `{"video_id":"Lp9dQ2wEr4T","text":"hi","start_second":0,"end_second":1,"channel_id":"UC bad id"}` + "\n", "channel.jsonl:1: channel_id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.name)
			os.WriteFile(path, []byte(tt.content), 0o644)
			seq, _, err := ingest.Read([]string{path}, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Through the import's own checks, as web import runs them.
			_, err = catalog.Validate(t.Context(), seq, catalog.ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), filepath.Dir(path)+"/"+tt.want) && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant %s", err, tt.want)
			}
			var re *catalog.RowError
			if err != nil && tt.name != "notes.txt" && !errors.As(err, &re) {
				t.Errorf("%v is not about a row", err)
			}
		})
	}
}
