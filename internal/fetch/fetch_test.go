package fetch

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/transcripts/site/internal/fetch/fetchtest"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		stderr string
		want   Kind
	}{
		{"ERROR: [youtube] aaaaaaaaaaa: Private video. Sign in if you've been granted access to this video", Private},
		{"ERROR: [youtube] aaaaaaaaaaa: Video unavailable. This video is private", Private},
		{"ERROR: [youtube] aaaaaaaaaaa: Video unavailable", Unavailable},
		{"ERROR: [youtube] aaaaaaaaaaa: Video unavailable. This video has been removed by the uploader", Unavailable},
		{"WARNING: [youtube] retrying\nERROR: [youtube] aaaaaaaaaaa: Unable to download webpage: HTTP Error 429: Too Many Requests (caused by <HTTPError 429: 'Too Many Requests'>)", RateLimited},
		{"ERROR: Unable to download video subtitles for 'en': HTTP Error 429: Too Many Requests", RateLimited},
		{"ERROR: [youtube] aaaaaaaaaaa: Sign in to confirm you’re not a bot. Use --cookies-from-browser", RateLimited},
		{"ERROR: [youtube] aaaaaaaaaaa: Sign in to confirm your age. This video may be inappropriate for some users.", SignIn},
		{"ERROR: [youtube] aaaaaaaaaaa: Join this channel to get access to members-only content like this video", SignIn},
		{"ERROR: [youtube] aaaaaaaaaaa: Unable to download webpage: <urlopen error [Errno -3] Temporary failure in name resolution> (caused by URLError(gaierror(-3, 'Temporary failure in name resolution')))", Network},
		{"ERROR: [youtube] aaaaaaaaaaa: Unable to download API page: The read operation timed out", Network},
		{"ERROR: Unsupported URL: https://example.com/", Unsupported},
		{"ERROR: [generic] None: 'nonsense' is not a valid URL. Set --default-search \"ytsearch\"", Unsupported},
		{"ERROR: [youtube:tab] @nobody: This channel does not exist.", Unavailable},
		{"ERROR: something new", Failed},
		{"Traceback (most recent call last):\nKeyError: 'x'", Failed},
	} {
		f := classify([]byte(tc.stderr), nil)
		if f.Kind != tc.want {
			t.Errorf("%q: %s, want %s", tc.stderr, f.Kind, tc.want)
		}
		if f.Detail == "" {
			t.Errorf("%q: no detail", tc.stderr)
		}
	}
}

func TestLocateSaysHowToInstall(t *testing.T) {
	ctx := context.Background()
	standIn := fetchtest.New(t, fetchtest.World{Version: "2025.01.15"}) // built before PATH is emptied
	_, err := Locate(ctx, filepath.Join(t.TempDir(), "yt-dlp"))
	if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "apt-get install yt-dlp") || !strings.Contains(err.Error(), "-yt-dlp PATH") {
		t.Errorf("a missing -yt-dlp: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := Locate(ctx, ""); !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "not found on PATH") || !strings.Contains(err.Error(), "pipx install yt-dlp") {
		t.Errorf("no yt-dlp on PATH: %v", err)
	}
	y, err := Locate(ctx, standIn.Path)
	if err != nil || y.Version != "2025.01.15" {
		t.Errorf("the stand-in: %+v, %v", y, err)
	}
}

func TestListingFollowsAChannelsTabs(t *testing.T) {
	root := "https://www.youtube.com/@chan"
	s := fetchtest.New(t, fetchtest.World{Lists: map[string]fetchtest.List{
		root: {JSON: fetchtest.ChannelRoot("UCchanchanchanchanchan00", "Chan", root+"/videos", root+"/shorts")},
		root + "/videos": {JSON: fetchtest.Channel("UCchanchanchanchanchan00", "Chan",
			fetchtest.Entry{ID: "aaaaaaaaaaa", Title: "A"}, fetchtest.Entry{ID: "bbbbbbbbbbb", Title: "[Private video]"})},
		root + "/shorts": {JSON: fetchtest.Channel("UCchanchanchanchanchan00", "Chan",
			fetchtest.Entry{ID: "ccccccccccc"}, fetchtest.Entry{ID: "aaaaaaaaaaa", Title: "A"})},
	}})
	y, err := Locate(context.Background(), s.Path)
	if err != nil {
		t.Fatal(err)
	}
	pauses := 0
	l, err := y.list(context.Background(), root, func(context.Context) error { pauses++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{ID: "aaaaaaaaaaa", Title: "A"}, {ID: "bbbbbbbbbbb", Unavailable: "private video"}, {ID: "ccccccccccc"}}
	if l.Kind != "channel" || l.Title != "Chan" || !slices.Equal(l.Entries, want) {
		t.Errorf("listing %+v", l)
	}
	if pauses != 2 {
		t.Errorf("%d pauses before the tabs' listings, want 2", pauses)
	}
	if calls := s.Calls(t); len(calls) != 4 { // --version, the root, two tabs
		t.Errorf("calls %q", calls)
	}
}

func TestTooOldYTDLPNamesVersionAndOption(t *testing.T) {
	s := fetchtest.New(t, fetchtest.World{Version: "2021.12.27", Refuses: []string{"--ignore-no-formats-error"},
		Lists: map[string]fetchtest.List{"https://www.youtube.com/watch?v=aaaaaaaaaaa": {JSON: map[string]any{"id": "aaaaaaaaaaa"}}}})
	y, err := Locate(context.Background(), s.Path)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "t.db")
	_, err = Run(context.Background(), y, Plan{Options: Options{Lang: "en"}, URLs: []string{"https://www.youtube.com/watch?v=aaaaaaaaaaa"}, DBPath: db, CacheDir: db + ".cache"}, nil)
	var old *TooOldError
	if !errors.As(err, &old) || old.Version != "2021.12.27" || old.Option != "--ignore-no-formats-error" || !strings.Contains(err.Error(), "too old") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Error("a run stopped by an old yt-dlp created the database")
	}
}

func TestVideoArgsNeverDownloadMedia(t *testing.T) {
	for _, o := range []Options{{Lang: "en"}, {Lang: "de", AutoCaptions: true}} {
		args := videoArgs("/cache", "aaaaaaaaaaa", o)
		if !slices.Contains(args, "--skip-download") || args[len(args)-2] != "--" || args[len(args)-1] != WatchURL("aaaaaaaaaaa") {
			t.Errorf("%+v: %q", o, args)
		}
		if slices.Contains(args, "--write-subs") == o.AutoCaptions {
			t.Errorf("%+v: --write-subs is %v", o, !o.AutoCaptions)
		}
	}
	for _, lang := range []string{"en", "en-US", "pt-BR", "zh-Hans"} {
		if !ValidLang(lang) {
			t.Errorf("%q refused", lang)
		}
	}
	for _, lang := range []string{"", "en.*", "../x", "en,de", "-en"} {
		if ValidLang(lang) {
			t.Errorf("%q accepted", lang)
		}
	}
}

// TestRealYTDLPAcceptsEveryFlag runs the installed yt-dlp (Debian's in CI)
// with every option web fetch passes: its help lists each, and it parses
// each call's options (it then stops, asking for a URL, before any
// network).
func TestRealYTDLPAcceptsEveryFlag(t *testing.T) {
	path, err := exec.LookPath("yt-dlp")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must check the real yt-dlp (.ci/run installs Debian's): %v", err)
		}
		t.Skip("yt-dlp is not installed: not checking that it accepts web fetch's options (apt-get install yt-dlp; CI does)")
	}
	y, err := Locate(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("yt-dlp %s at %s", y.Version, path)
	help, err := exec.Command(path, "--ignore-config", "--help").Output()
	if err != nil {
		t.Fatalf("yt-dlp --help: %v", err)
	}
	for _, flag := range Flags() {
		if !regexp.MustCompile(`(?m)^\s+(-\w+, )?` + regexp.QuoteMeta(flag) + `\b`).Match(help) {
			t.Errorf("yt-dlp %s --help does not list %s", y.Version, flag)
		}
	}
	for _, args := range ArgVectors() {
		out, err := exec.Command(path, append([]string{"--ignore-config"}, args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "You must provide at least one URL") || strings.Contains(string(out), "no such option") {
			t.Errorf("yt-dlp %s %q without a URL: %v\n%s", y.Version, args, err, out)
		}
	}
}
