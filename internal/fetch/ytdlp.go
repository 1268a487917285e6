// Package fetch gets the subtitles and metadata of YouTube videos with
// yt-dlp into a cache folder beside the database, and imports them through
// the same readers and import as `web import`: it lists a channel's or
// playlist's videos, skips those the catalog holds, asks yt-dlp for the
// rest one video at a time, tells each failure apart (no subtitles, a
// private or removed video, a rate limit, the network) and goes on.
package fetch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// InstallHint says how to get yt-dlp.
const InstallHint = "install it with `apt-get install yt-dlp` (Debian, Ubuntu), `pipx install yt-dlp` or `pip install --user yt-dlp`, or give its path with -yt-dlp PATH"

// ErrNotInstalled is returned by Locate when there is no yt-dlp to run.
var ErrNotInstalled = errors.New("yt-dlp is not installed")

// TooOldError is a yt-dlp that refused an option web fetch passes.
type TooOldError struct {
	Path, Version, Option string
}

func (e *TooOldError) Error() string {
	return fmt.Sprintf("yt-dlp %s (%s) does not know the option %s that web fetch passes: it is too old; install a newer one (`pipx install yt-dlp` or `pip install --user -U yt-dlp`) and give its path with -yt-dlp PATH",
		e.Version, e.Path, e.Option)
}

// YTDLP is a yt-dlp executable and its version.
type YTDLP struct {
	Path    string
	Version string // as `yt-dlp --version` prints it, e.g. 2023.03.04
}

// Locate finds yt-dlp, at path if it is given, else on PATH, and asks its
// version; the error wraps ErrNotInstalled, with how to install it, when
// there is none.
func Locate(ctx context.Context, path string) (*YTDLP, error) {
	name := path
	if name == "" {
		name = "yt-dlp"
	}
	found, err := exec.LookPath(name)
	if err != nil {
		if path == "" {
			return nil, fmt.Errorf("%w (not found on PATH): %s", ErrNotInstalled, InstallHint)
		}
		return nil, fmt.Errorf("%w at %s (%v): %s", ErrNotInstalled, path, unwrapExec(err), InstallHint)
	}
	y := &YTDLP{Path: found}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, stderr, err := y.run(ctx, []string{"--version"})
	if err != nil {
		return nil, fmt.Errorf("%s --version: %v: %s", found, err, lastLines(stderr, 3))
	}
	y.Version = strings.TrimSpace(string(out))
	if y.Version == "" || strings.ContainsAny(y.Version, "\n ") {
		return nil, fmt.Errorf("%s --version printed %q, not a yt-dlp version", found, truncate(y.Version, 80))
	}
	return y, nil
}

func unwrapExec(err error) error {
	var ee *exec.Error
	if errors.As(err, &ee) {
		return ee.Err
	}
	return err
}

// maxStderr is how much of yt-dlp's error output is kept: its last lines
// say what went wrong.
const maxStderr = 64 << 10

// run runs yt-dlp with args and returns its standard output, its error
// output, and an error when it could not start or exited non-zero.
// Cancelling ctx interrupts it as Ctrl-C would (it removes nothing: its
// .part and .tmp files are ignored, then resumed or replaced, by the next
// run), and kills it if it has not exited 5 seconds later.
func (y *YTDLP) run(ctx context.Context, args []string) (stdout, stderr []byte, err error) {
	cmd := exec.CommandContext(ctx, y.Path, args...)
	cmd.Cancel = func() error { return interrupt(cmd.Process) }
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	errOut := &tailBuffer{max: maxStderr}
	cmd.Stdout, cmd.Stderr = &out, errOut
	err = cmd.Run()
	return out.Bytes(), errOut.Bytes(), err
}

// interrupt asks a process to stop as Ctrl-C does; where that cannot be
// sent (Windows) it is killed.
func interrupt(p *os.Process) error {
	if err := p.Signal(os.Interrupt); err != nil {
		return p.Kill()
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	buf []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) Bytes() []byte { return t.buf }

// Options say what to fetch of each video.
type Options struct {
	// Lang is the subtitle language, a yt-dlp language code (en, en-US, de).
	Lang string
	// AutoCaptions takes YouTube's automatic captions even when the
	// uploader's own subtitles exist. Without it the uploader's are taken,
	// and the automatic captions only when there are none.
	AutoCaptions bool
}

var langPattern = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// ValidLang reports whether lang looks like a language code yt-dlp names
// subtitles by (en, pt-BR, zh-Hans); it is also part of file names.
func ValidLang(lang string) bool { return langPattern.MatchString(lang) }

// listArgs are the arguments that list the videos of url without fetching
// them: one JSON document, a playlist's entries left unresolved.
func listArgs(url string) []string {
	return []string{
		"--flat-playlist", "--dump-single-json",
		// A single video is extracted in full; its formats do not matter.
		"--ignore-no-formats-error",
		"--", url,
	}
}

// videoArgs are the arguments that write one video's subtitles and
// .info.json into dir as ID.LANG.vtt (or .srt) and ID.info.json, never
// the media. Files already there are kept (--no-overwrites): a run that
// was interrupted is finished rather than started again. yt-dlp writes
// subtitles as .part files and the .info.json as a .tmp file, renamed
// when complete, so a file under its final name is whole.
func videoArgs(dir, id string, o Options) []string {
	args := []string{
		"--skip-download", "--ignore-no-formats-error", "--no-overwrites", "--no-progress",
		"--write-info-json",
	}
	if !o.AutoCaptions {
		// With both, yt-dlp takes the uploader's subtitles in a language
		// and the automatic captions only where there are none.
		args = append(args, "--write-subs")
	}
	args = append(args, "--write-auto-subs",
		"--sub-langs", o.Lang, "--sub-format", "vtt/srt",
		"--paths", dir, "--output", "%(id)s.%(ext)s",
		"--", WatchURL(id))
	return args
}

// WatchURL is the address yt-dlp is given for a video.
func WatchURL(id string) string { return "https://www.youtube.com/watch?v=" + id }

// Flags lists every option web fetch passes to yt-dlp, for checking that
// a yt-dlp accepts them (the CI runs Debian's against these).
func Flags() []string {
	seen := map[string]bool{}
	var flags []string
	for _, args := range [][]string{listArgs("URL"), videoArgs("DIR", "ID", Options{Lang: "en"}), videoArgs("DIR", "ID", Options{Lang: "en", AutoCaptions: true})} {
		for _, a := range args {
			if a == "--" {
				break
			}
			if strings.HasPrefix(a, "-") && !seen[a] {
				seen[a] = true
				flags = append(flags, a)
			}
		}
	}
	return flags
}

// ArgVectors returns the arguments of every kind of call web fetch makes,
// without the URL, for checking that a yt-dlp parses them.
func ArgVectors() [][]string {
	var vs [][]string
	for _, args := range [][]string{listArgs("URL"), videoArgs("DIR", "ID", Options{Lang: "en"}), videoArgs("DIR", "ID", Options{Lang: "en", AutoCaptions: true})} {
		i := len(args) - 2 // "--", URL
		vs = append(vs, args[:i])
	}
	return vs
}

// Entry is a video found by listing a source.
type Entry struct {
	ID    string
	Title string // "" when the listing has none
	// Unavailable is the reason a listing already gives that the video
	// cannot be fetched ("private video"), or "".
	Unavailable string
}

// Listing is what a source holds.
type Listing struct {
	Kind    string // "channel", "playlist" or "video"
	Title   string
	Entries []Entry
}

// listed is the part of yt-dlp's JSON that listing reads: a video, or a
// playlist (a channel is one) whose entries are videos or playlists (a
// channel's Videos, Shorts and Live tabs).
type listed struct {
	Type         string    `json:"_type"`
	IEKey        string    `json:"ie_key"`
	ID           string    `json:"id"`
	URL          string    `json:"url"`
	Title        *string   `json:"title"`
	Channel      *string   `json:"channel"`
	ChannelID    *string   `json:"channel_id"`
	Availability *string   `json:"availability"`
	Entries      []*listed `json:"entries"`
}

// maxDepth bounds how deep nested playlists are listed: a channel, its
// tabs, their videos.
const maxDepth = 3

// list lists the videos of url; nested playlists left unresolved are
// listed by calls of their own, each after pause.
func (y *YTDLP) list(ctx context.Context, url string, pause func(context.Context) error) (Listing, error) {
	top, err := y.listOne(ctx, url)
	if err != nil {
		return Listing{}, err
	}
	l := Listing{Kind: kindOf(top, url), Title: str(top.Title)}
	seen := map[string]bool{}
	var walk func(p *listed, depth int) error
	walk = func(p *listed, depth int) error {
		if p.Type != "playlist" {
			l.add(p, seen)
			return nil
		}
		for _, e := range p.Entries {
			switch {
			case e == nil:
			case isVideo(e):
				l.add(e, seen)
			case e.Type == "playlist":
				if err := walk(e, depth+1); err != nil {
					return err
				}
			case e.URL != "" && depth < maxDepth:
				if err := pause(ctx); err != nil {
					return err
				}
				sub, err := y.listOne(ctx, e.URL)
				if err != nil {
					return fmt.Errorf("%s: %w", e.URL, err)
				}
				if err := walk(sub, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(top, 0); err != nil {
		return Listing{}, err
	}
	return l, nil
}

func (l *Listing) add(e *listed, seen map[string]bool) {
	if seen[e.ID] {
		return
	}
	seen[e.ID] = true
	ent := Entry{ID: e.ID, Title: str(e.Title)}
	// Playlists keep entries for videos made private or deleted since.
	switch {
	case str(e.Availability) == "private" || ent.Title == "[Private video]":
		ent.Unavailable = "private video"
	case ent.Title == "[Deleted video]":
		ent.Unavailable = "video unavailable (deleted)"
	}
	if ent.Unavailable != "" {
		ent.Title = ""
	}
	l.Entries = append(l.Entries, ent)
}

// isVideo tells a video entry from a nested playlist's.
func isVideo(e *listed) bool {
	if e.Type == "video" || e.IEKey == "Youtube" {
		return true
	}
	return e.Type == "url" && (strings.Contains(e.URL, "/watch?v=") || strings.Contains(e.URL, "/shorts/"))
}

// kindOf names what a listing is: a video, a channel (whose id is its
// channel id, or whose address names a channel) or a playlist.
func kindOf(top *listed, url string) string {
	if top.Type != "playlist" {
		return "video"
	}
	if (top.ChannelID != nil && *top.ChannelID == top.ID) || strings.HasPrefix(top.ID, "UC") && len(top.ID) == 24 {
		return "channel"
	}
	for _, s := range []string{"/@", "/channel/", "/c/", "/user/"} {
		if strings.Contains(url, s) {
			return "channel"
		}
	}
	return "playlist"
}

func (y *YTDLP) listOne(ctx context.Context, url string) (*listed, error) {
	out, stderr, err := y.run(ctx, listArgs(url))
	if err != nil {
		return nil, y.failure(ctx, err, stderr)
	}
	var l listed
	if err := json.Unmarshal(out, &l); err != nil {
		return nil, fmt.Errorf("yt-dlp printed something other than JSON: %v", err)
	}
	return &l, nil
}

// fetchVideo runs yt-dlp for one video, which writes its files into dir.
func (y *YTDLP) fetchVideo(ctx context.Context, dir, id string, o Options) error {
	_, stderr, err := y.run(ctx, videoArgs(dir, id, o))
	if err != nil {
		return y.failure(ctx, err, stderr)
	}
	return nil
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// lastLines returns the last n non-empty lines of b, joined by " / ".
func lastLines(b []byte, n int) string {
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}

// infoJSON is what fetch reads of a .info.json: the rest is the
// importer's.
type infoJSON struct {
	ID    string  `json:"id"`
	Title *string `json:"title"`
}

// readInfo reads the id and title of a .info.json.
func readInfo(path string) (infoJSON, error) {
	f, err := os.Open(path)
	if err != nil {
		return infoJSON{}, err
	}
	defer f.Close()
	var info infoJSON
	if err := json.NewDecoder(io.LimitReader(f, 64<<20)).Decode(&info); err != nil {
		return infoJSON{}, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return info, nil
}
