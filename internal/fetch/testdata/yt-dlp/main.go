// Command yt-dlp is a stand-in for yt-dlp in tests: it parses options as
// yt-dlp does (an unknown one is "no such option", exit 2), refuses to be
// run in a way that would download media, writes subtitles and
// .info.json files named by the -P path and -o template it is given, and
// answers from world.json beside it, logging each call to calls.log.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/transcripts/site/internal/fetch/fetchtest"
)

// options yt-dlp has that the stand-in knows, and whether each takes a
// value.
var options = map[string]bool{
	"--version": false, "--flat-playlist": false, "-J": false, "--dump-single-json": false,
	"--ignore-no-formats-error": false, "--skip-download": false, "--no-overwrites": false, "-w": false,
	"--no-progress": false, "--write-info-json": false, "--write-subs": false, "--write-auto-subs": false,
	"--sub-langs": true, "--sub-format": true, "-P": true, "--paths": true, "-o": true, "--output": true,
}

func main() {
	exe, err := os.Executable()
	if err != nil {
		die(1, "ERROR: %v", err)
	}
	dir := filepath.Dir(exe)
	logCall(dir)
	var w fetchtest.World
	if b, err := os.ReadFile(filepath.Join(dir, "world.json")); err == nil {
		if err := json.Unmarshal(b, &w); err != nil {
			die(1, "ERROR: world.json: %v", err)
		}
	}
	if w.Version == "" {
		w.Version = "2023.03.04"
	}

	set := map[string]string{}
	var urls []string
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			urls = append(urls, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") {
			urls = append(urls, a)
			continue
		}
		takesValue, known := options[a]
		if !known || slices.Contains(w.Refuses, a) {
			die(2, "Usage: yt-dlp [OPTIONS] URL [URL...]\n\nyt-dlp: error: no such option: %s", a)
		}
		if takesValue {
			if i+1 >= len(args) {
				die(2, "Usage: yt-dlp [OPTIONS] URL [URL...]\n\nyt-dlp: error: %s option requires 1 argument", a)
			}
			i++
			set[long(a)] = args[i]
		} else {
			set[long(a)] = "yes"
		}
	}
	if _, ok := set["--version"]; ok {
		fmt.Println(w.Version)
		return
	}
	if len(urls) != 1 {
		die(2, "Usage: yt-dlp [OPTIONS] URL [URL...]\n\nyt-dlp: error: You must provide at least one URL.\nType yt-dlp --help to see a list of all options.")
	}
	url := urls[0]
	if set["--dump-single-json"] != "" {
		if set["--flat-playlist"] == "" {
			die(1, "standin: listing without --flat-playlist would resolve every video")
		}
		list(w, url)
		return
	}
	if set["--skip-download"] == "" {
		die(1, "standin: called without --skip-download: this would download the media")
	}
	for _, need := range []string{"--write-info-json", "--sub-langs", "--paths", "--output", "--no-overwrites"} {
		if set[need] == "" {
			die(1, "standin: called without %s", need)
		}
	}
	fetchVideo(w, dir, url, set)
}

// long names an option by its long form.
func long(a string) string {
	switch a {
	case "-J":
		return "--dump-single-json"
	case "-w":
		return "--no-overwrites"
	case "-P":
		return "--paths"
	case "-o":
		return "--output"
	}
	return a
}

func logCall(dir string) {
	b, _ := json.Marshal(os.Args[1:])
	f, err := os.OpenFile(filepath.Join(dir, "calls.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		die(1, "ERROR: %v", err)
	}
	f.Write(append(b, '\n'))
	f.Close()
}

func die(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(code)
}

func list(w fetchtest.World, url string) {
	l, ok := w.Lists[url]
	switch {
	case !ok:
		die(1, "ERROR: Unsupported URL: %s", url)
	case l.Error != "":
		die(1, "%s", l.Error)
	}
	b, err := json.Marshal(l.JSON)
	if err != nil {
		die(1, "ERROR: %v", err)
	}
	os.Stdout.Write(append(b, '\n'))
}

func fetchVideo(w fetchtest.World, dir, url string, set map[string]string) {
	_, id, ok := strings.Cut(url, "watch?v=")
	if !ok {
		die(1, "ERROR: Unsupported URL: %s", url)
	}
	fmt.Printf("[youtube] Extracting URL: %s\n[youtube] %s: Downloading webpage\n", url, id)
	v, ok := w.Videos[id]
	if !ok {
		die(1, "ERROR: [youtube] %s: Video unavailable", id)
	}
	if v.Error != "" && (v.FailTimes == 0 || count(dir, id) <= v.FailTimes) {
		die(1, "%s", v.Error)
	}
	if v.Interrupt {
		if p, err := os.FindProcess(os.Getppid()); err == nil {
			p.Signal(os.Interrupt)
		}
		time.Sleep(time.Minute) // until the caller stops it
		die(1, "ERROR: not stopped")
	}

	info := v.Info
	if info == nil {
		info = map[string]any{
			"id": id, "title": "Video " + id, "channel": "Chan", "channel_id": "UCchanchanchanchanchan00",
			"uploader": "Chan", "upload_date": "20240102", "duration": 600, "description": "A video.",
			"tags": []string{"talk"}, "chapters": nil, "language": "en",
			"thumbnail": "https://i.ytimg.com/vi/" + id + "/maxresdefault.jpg",
		}
	}
	title, _ := info["title"].(string)
	base := filepath.Join(set["--paths"], name(set["--output"], id, title))

	// Subtitles first, then the .info.json, as yt-dlp writes them.
	lang := set["--sub-langs"]
	text, has := "", false
	if set["--write-subs"] != "" {
		text, has = v.Subs[lang]
	}
	if !has && set["--write-auto-subs"] != "" {
		text, has = v.Auto[lang]
	}
	if has {
		format := v.Format
		if format == "" {
			format = "vtt"
		}
		if want := set["--sub-format"]; want != "" && !slices.Contains(strings.Split(want, "/"), format) {
			fmt.Fprintf(os.Stderr, "WARNING: No subtitle format found matching \"%s\" for language %s, using %s\n", want, lang, format)
		}
		sub := base + "." + lang + "." + format
		if _, err := os.Stat(sub); err == nil {
			fmt.Printf("[info] Video subtitle %s.%s is already present\n", lang, format)
		} else {
			fmt.Printf("[info] Writing video subtitles to: %s\n", sub)
			part := sub + ".part"
			if v.Crash {
				os.WriteFile(part, []byte(text[:len(text)/2]), 0o644)
				p, _ := os.FindProcess(os.Getpid())
				p.Kill()
				time.Sleep(time.Minute)
			}
			must(os.WriteFile(part, []byte(text), 0o644))
			must(os.Rename(part, sub))
		}
	} else {
		fmt.Println("[info] There's no subtitles for the requested languages")
	}

	infoPath := base + ".info.json"
	if _, err := os.Stat(infoPath); err == nil {
		fmt.Println("[info] Video metadata is already present")
		return
	}
	b, err := json.Marshal(info)
	must(err)
	tmp := infoPath + ".standin.tmp"
	must(os.WriteFile(tmp, b, 0o644))
	must(os.Rename(tmp, infoPath))
}

// count counts the calls for a video, in a file beside the stand-in.
func count(dir, id string) int {
	p := filepath.Join(dir, id+".calls")
	b, _ := os.ReadFile(p)
	n, _ := strconv.Atoi(string(b))
	n++
	must(os.WriteFile(p, []byte(strconv.Itoa(n)), 0o644))
	return n
}

// name expands the fields of an output template the stand-in knows, as
// yt-dlp would name the video file, without its extension: subtitles and
// .info.json are named after it. A missing field is NA; a title's
// slashes become ⧸ as in file names yt-dlp writes.
func name(template, id, title string) string {
	if title == "" {
		title = "NA"
	}
	r := strings.NewReplacer("%(id)s", id, "%(title)s", strings.ReplaceAll(title, "/", "⧸"), "%(ext)s", "webm")
	return strings.TrimSuffix(r.Replace(template), ".webm")
}

func must(err error) {
	if err != nil {
		die(1, "ERROR: %v", err)
	}
}
