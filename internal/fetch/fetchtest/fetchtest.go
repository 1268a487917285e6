// Package fetchtest provides a stand-in for yt-dlp, for testing web fetch
// without the network: a small Go program (testdata/yt-dlp) that checks
// the options it is given as yt-dlp's parser would, writes subtitles and
// .info.json files where and as yt-dlp names them, and fails the ways
// yt-dlp fails, as a World describes.
package fetchtest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// World is what the stand-in knows of YouTube.
type World struct {
	// Version is what --version prints (default 2023.03.04, Debian 12's).
	Version string `json:"version,omitempty"`
	// Refuses are options this yt-dlp is too old to know.
	Refuses []string `json:"refuses,omitempty"`
	// Lists are the answers to listing a URL (--flat-playlist -J).
	Lists map[string]List `json:"lists,omitempty"`
	// Videos are the answers to fetching a video, by id.
	Videos map[string]Video `json:"videos,omitempty"`
}

// List is the answer to listing a URL: JSON printed on standard output,
// or Error printed on standard error with exit status 1.
type List struct {
	JSON  any    `json:"json,omitempty"`
	Error string `json:"error,omitempty"`
}

// Video is one video's answer.
type Video struct {
	// Info is written as ID.info.json; nil writes a typical one.
	Info map[string]any `json:"info,omitempty"`
	// Subs are the uploader's subtitles, Auto the automatic captions, by
	// language, as WebVTT text.
	Subs map[string]string `json:"subs,omitempty"`
	Auto map[string]string `json:"auto,omitempty"`
	// Format is the only subtitle format offered (default vtt); one the
	// caller did not ask for is written anyway, as yt-dlp falls back.
	Format string `json:"format,omitempty"`
	// Error is printed on standard error and the exit status is 1, the
	// first FailTimes calls for the video (every call if 0).
	Error     string `json:"error,omitempty"`
	FailTimes int    `json:"fail_times,omitempty"`
	// Crash writes half of the subtitles as a .part file and dies.
	Crash bool `json:"crash,omitempty"`
	// Interrupt sends Ctrl-C (SIGINT) to the caller, as a terminal does
	// to every process of its group, and waits to be stopped.
	Interrupt bool `json:"interrupt,omitempty"`
}

// StandIn is a stand-in yt-dlp in a folder of its own, beside its world
// and the log of its calls.
type StandIn struct {
	Path string // the executable
	dir  string
}

var build struct {
	once sync.Once
	path string
	err  error
}

// New builds the stand-in (once per test binary) and copies it into a
// temporary folder of t with w as its world.
func New(t testing.TB, w World) *StandIn {
	t.Helper()
	build.once.Do(func() {
		_, here, _, _ := runtime.Caller(0)
		src := filepath.Join(filepath.Dir(here), "..", "testdata", "yt-dlp")
		dir, err := os.MkdirTemp("", "yt-dlp-standin")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "yt-dlp"+exeSuffix())
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go"+exeSuffix())
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		cmd := exec.Command(goTool, "build", "-o", build.path, ".")
		cmd.Dir = src
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("go build the yt-dlp stand-in: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	dir := t.TempDir()
	s := &StandIn{Path: filepath.Join(dir, "yt-dlp"+exeSuffix()), dir: dir}
	exe, err := os.ReadFile(build.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path, exe, 0o755); err != nil {
		t.Fatal(err)
	}
	s.SetWorld(t, w)
	return s
}

func exeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// SetWorld changes what the stand-in answers from now on.
func (s *StandIn) SetWorld(t testing.TB, w World) {
	t.Helper()
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, "world.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Calls returns the arguments of every call so far, in order.
func (s *StandIn) Calls(t testing.TB) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(s.dir, "calls.log"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var calls [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var args []string
		if err := json.Unmarshal(sc.Bytes(), &args); err != nil {
			t.Fatal(err)
		}
		calls = append(calls, args)
	}
	return calls
}

// Fetched returns the ids of the videos fetched so far (not listed), in
// order.
func (s *StandIn) Fetched(t testing.TB) []string {
	t.Helper()
	var ids []string
	for _, args := range s.Calls(t) {
		if u := args[len(args)-1]; strings.Contains(u, "watch?v=") && contains(args, "--skip-download") {
			ids = append(ids, u[strings.Index(u, "watch?v=")+len("watch?v="):])
		}
	}
	return ids
}

func contains(args []string, s string) bool {
	for _, a := range args {
		if a == s {
			return true
		}
	}
	return false
}

// Channel is the JSON yt-dlp prints listing a channel's Videos tab with
// --flat-playlist: its videos as unresolved entries.
func Channel(channelID, name string, videos ...Entry) map[string]any {
	return map[string]any{
		"_type": "playlist", "id": channelID, "title": name + " - Videos",
		"channel": name, "channel_id": channelID, "uploader_id": "@" + strings.ToLower(name),
		"webpage_url": "https://www.youtube.com/channel/" + channelID + "/videos",
		"extractor":   "youtube:tab", "extractor_key": "YoutubeTab",
		"entries": entries(videos),
	}
}

// ChannelRoot is the JSON yt-dlp prints listing a channel's own address:
// one unresolved entry per tab (Videos, Shorts, Live), listed by calls of
// their own.
func ChannelRoot(channelID, name string, tabURLs ...string) map[string]any {
	var es []map[string]any
	for _, u := range tabURLs {
		es = append(es, map[string]any{"_type": "url", "ie_key": "YoutubeTab", "id": channelID, "url": u, "title": name})
	}
	return map[string]any{
		"_type": "playlist", "id": channelID, "title": name, "channel": name, "channel_id": channelID,
		"extractor_key": "YoutubeTab", "entries": es,
	}
}

// Playlist is the JSON yt-dlp prints listing a playlist.
func Playlist(id, title string, videos ...Entry) map[string]any {
	return map[string]any{
		"_type": "playlist", "id": id, "title": title, "extractor_key": "YoutubeTab",
		"webpage_url": "https://www.youtube.com/playlist?list=" + id,
		"entries":     entries(videos),
	}
}

// Entry is a video in a listing.
type Entry struct {
	ID, Title string
}

func entries(videos []Entry) []map[string]any {
	es := []map[string]any{}
	for _, v := range videos {
		e := map[string]any{
			"_type": "url", "ie_key": "Youtube", "id": v.ID,
			"url": "https://www.youtube.com/watch?v=" + v.ID, "duration": 600,
		}
		if v.Title != "" {
			e["title"] = v.Title
		} else {
			e["title"] = nil
		}
		es = append(es, e)
	}
	return es
}

// VTT is a WebVTT file of cues, one a line of text, 5 seconds each.
func VTT(lines ...string) string {
	var b strings.Builder
	b.WriteString("WEBVTT\nKind: captions\nLanguage: en\n\n")
	for i, l := range lines {
		fmt.Fprintf(&b, "00:00:%02d.000 --> 00:00:%02d.000\n%s\n\n", i*5, i*5+5, l)
	}
	return b.String()
}
