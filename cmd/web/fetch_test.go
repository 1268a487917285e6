package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/fetch/fetchtest"
)

const chanURL = "https://www.youtube.com/@chan"

// Videos of the test channel, by what fetching them gives.
const (
	vOwn     = "own0000000A" // the uploader's subtitles
	vAuto    = "auto000000A" // automatic captions only
	vBoth    = "both000000A" // both: the uploader's are taken
	vUnicode = "unic000000A" // a unicode title, quirky metadata
	vPrivate = "priv000000A"
	vNoSubs  = "nosub00000A"
	vNew     = "new0000000A" // published after the first fetch
)

func channelWorld(videos ...string) fetchtest.World {
	var entries []fetchtest.Entry
	for _, id := range videos {
		entries = append(entries, fetchtest.Entry{ID: id, Title: "Listed " + id})
	}
	shorts := fetchtest.Channel("UCchanchanchanchanchan00", "Chan", fetchtest.Entry{ID: vBoth})
	return fetchtest.World{
		Lists: map[string]fetchtest.List{
			chanURL:             {JSON: fetchtest.ChannelRoot("UCchanchanchanchanchan00", "Chan", chanURL+"/videos", chanURL+"/shorts")},
			chanURL + "/videos": {JSON: fetchtest.Channel("UCchanchanchanchanchan00", "Chan", entries...)},
			chanURL + "/shorts": {JSON: shorts},
		},
		Videos: map[string]fetchtest.Video{
			vOwn:  {Subs: map[string]string{"en": fetchtest.VTT("the uploader wrote these words")}},
			vAuto: {Auto: map[string]string{"en": fetchtest.VTT("machine heard these words")}},
			vBoth: {
				Subs: map[string]string{"en": fetchtest.VTT("carefully edited subtitles")},
				Auto: map[string]string{"en": fetchtest.VTT("raw automatic captions"), "de": fetchtest.VTT("automatische untertitel")},
			},
			vUnicode: {
				Subs: map[string]string{"en": fetchtest.VTT("grüße aus köln")},
				Info: map[string]any{"id": vUnicode, "title": "Grüße aus Köln / 日本語 🎉", "upload_date": "NA", "channel": nil, "duration": "NA", "chapters": []any{}, "tags": nil},
			},
			vPrivate: {Error: "ERROR: [youtube] " + vPrivate + ": Private video. Sign in if you've been granted access to this video"},
			vNoSubs:  {},
			vNew:     {Subs: map[string]string{"en": fetchtest.VTT("something brand new")}},
		},
	}
}

func fetchRun(t *testing.T, ctx context.Context, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(ctx, append([]string{"fetch", "-delay", "0"}, args...), noEnv, &out, &errOut)
	return out.String() + errOut.String(), err
}

func wantOutput(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func transcriptText(t *testing.T, db, id string) string {
	t.Helper()
	c, err := catalog.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	segs, err := c.Transcript(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range segs {
		texts = append(texts, s.Text)
	}
	return strings.Join(texts, " ")
}

func videoTitle(t *testing.T, db, id string) string {
	t.Helper()
	c, err := catalog.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	v, err := c.Video(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Title
}

func TestFetchChannelRerunRefreshUpdate(t *testing.T) {
	ctx := context.Background()
	channel := []string{vOwn, vAuto, vUnicode, vPrivate, vNoSubs}
	ytdlp := fetchtest.New(t, channelWorld(channel...))
	db := filepath.Join(t.TempDir(), "chan.db")

	// First fetch: every video is fetched; two fail, the run goes on and
	// exits non-zero.
	out, err := fetchRun(t, ctx, "-db", db, "-yt-dlp", ytdlp.Path, chanURL)
	if err == nil || !strings.Contains(err.Error(), "2 videos failed") {
		t.Errorf("err = %v", err)
	}
	wantOutput(t, out, "fetch with yt-dlp 2023.03.04", chanURL+": channel “Chan”, 6 videos, 6 new",
		"videos: 6 found, 0 already imported, 5 fetched, 0 from the cache, 2 failed",
		"imported 4 segments of 4 videos: 4 added",
		vPrivate+" “Listed "+vPrivate+"”: private video: ERROR: [youtube] "+vPrivate+": Private video",
		vNoSubs+" “Video "+vNoSubs+"”: no subtitles: neither subtitles nor automatic captions in en")
	if got := catalogTotals(t, db); got != (catalog.Totals{Videos: 4, Segments: 4}) {
		t.Errorf("totals %+v", got)
	}
	for id, want := range map[string]string{vOwn: "the uploader wrote", vAuto: "machine heard", vBoth: "carefully edited", vUnicode: "grüße aus köln"} {
		if got := transcriptText(t, db, id); !strings.Contains(got, want) {
			t.Errorf("%s: transcript %q, want %q", id, got, want)
		}
	}
	if got := videoTitle(t, db, vUnicode); got != "Grüße aus Köln / 日本語 🎉" {
		t.Errorf("title from the .info.json: %q", got)
	}
	if got := videoTitle(t, db, vOwn); got != "Video "+vOwn {
		t.Errorf("title %q", got)
	}
	// The .info.json gives the video its channel and date too.
	func() {
		c, err := catalog.OpenReadOnly(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		v, err := c.Video(ctx, vOwn)
		if err != nil {
			t.Fatal(err)
		}
		if v.Channel != "Chan" || v.ChannelID != "UCchanchanchanchanchan00" || v.Published.Format("2006-01-02") != "2024-01-02" {
			t.Errorf("metadata from the .info.json: channel %q (%s), published %v", v.Channel, v.ChannelID, v.Published)
		}
	}()
	for _, f := range []string{vOwn + ".en.vtt", vOwn + ".info.json", vNoSubs + ".info.json"} {
		if _, err := os.Stat(filepath.Join(db+".cache", f)); err != nil {
			t.Errorf("cache: %v", err)
		}
	}
	fetched := ytdlp.Fetched(t)
	slices.Sort(fetched)
	if want := []string{vAuto, vBoth, vNoSubs, vOwn, vPrivate, vUnicode}; !slices.Equal(fetched, want) {
		t.Errorf("fetched %v, want %v", fetched, want)
	}

	// Again: what is imported is skipped; the failures are tried again.
	out, err = fetchRun(t, ctx, "-db", db, "-yt-dlp", ytdlp.Path, chanURL)
	if err == nil {
		t.Error("the failures failed silently the second time")
	}
	wantOutput(t, out, "6 videos, 2 new", "videos: 6 found, 4 already imported, 1 fetched")
	if again := ytdlp.Fetched(t)[6:]; !slices.Equal(again, []string{vPrivate, vNoSubs}) {
		t.Errorf("second run fetched %v", again)
	}

	// -refresh imports everything again, from the cache where it is whole.
	n := len(ytdlp.Fetched(t))
	out, _ = fetchRun(t, ctx, "-db", db, "-yt-dlp", ytdlp.Path, "-refresh", chanURL)
	wantOutput(t, out, "videos: 6 found, 0 already imported, 1 fetched, 4 from the cache, 2 failed",
		"imported 4 segments of 4 videos: 0 added, 0 updated; segments 0 new, 0 changed, 4 unchanged")
	if again := ytdlp.Fetched(t)[n:]; !slices.Equal(again, []string{vPrivate, vNoSubs}) {
		t.Errorf("-refresh fetched %v from YouTube", again)
	}

	// A new video is published; -update checks the remembered channel.
	ytdlp.SetWorld(t, channelWorld(append(channel, vNew)...))
	n = len(ytdlp.Fetched(t))
	out, _ = fetchRun(t, ctx, "-db", db, "-yt-dlp", ytdlp.Path, "-update")
	wantOutput(t, out, chanURL+": channel “Chan”, 7 videos, 3 new", "imported 1 segments of 1 videos: 1 added")
	if again := ytdlp.Fetched(t)[n:]; !slices.Equal(again, []string{vPrivate, vNoSubs, vNew}) {
		t.Errorf("-update fetched %v", again)
	}
	if got := transcriptText(t, db, vNew); got != "something brand new" {
		t.Errorf("new video: %q", got)
	}
	c, err := catalog.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	srcs, err := c.Sources(ctx)
	if err != nil || len(srcs) != 1 || srcs[0].URL != chanURL || srcs[0].Kind != "channel" || srcs[0].Title != "Chan" || srcs[0].LastCheckedAt.Before(srcs[0].AddedAt) {
		t.Errorf("sources %+v, %v", srcs, err)
	}
}

func TestFetchAutoCaptionsAndLanguage(t *testing.T) {
	ytdlp := fetchtest.New(t, channelWorld())
	db := filepath.Join(t.TempDir(), "a.db")
	watch := "https://www.youtube.com/watch?v=" + vBoth
	w := channelWorld()
	w.Lists[watch] = fetchtest.List{JSON: map[string]any{"_type": "video", "id": vBoth, "title": "Both"}}
	ytdlp.SetWorld(t, w)
	out, err := fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, "-auto-captions", watch)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := transcriptText(t, db, vBoth); got != "raw automatic captions" {
		t.Errorf("-auto-captions took %q", got)
	}
	// A single video is not remembered as a source.
	c, _ := catalog.Open(context.Background(), db)
	if srcs, err := c.Sources(context.Background()); err != nil || len(srcs) != 0 {
		t.Errorf("sources %+v, %v", srcs, err)
	}
	c.Close()

	db = filepath.Join(t.TempDir(), "de.db")
	if out, err := fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, "-lang", "de", watch); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := transcriptText(t, db, vBoth); got != "automatische untertitel" {
		t.Errorf("-lang de took %q", got)
	}
	if _, err := os.Stat(filepath.Join(db+".cache", vBoth+".de.vtt")); err != nil {
		t.Error(err)
	}
	if _, err := fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, "-lang", "en.*", watch); err == nil || !strings.Contains(err.Error(), "not a language code") {
		t.Errorf("-lang en.*: %v", err)
	}
}

func TestFetchFailuresAreReportedAndTheRestGoOn(t *testing.T) {
	ids := []string{"ok00000000A", "limit00000A", "net0000000A", "gone000000A", "crash00000A", "srv3000000A", "ok00000000B"}
	var entries []fetchtest.Entry
	for _, id := range ids {
		entries = append(entries, fetchtest.Entry{ID: id})
	}
	url := "https://www.youtube.com/playlist?list=PLtest"
	sub := map[string]string{"en": fetchtest.VTT("fine words")}
	w := fetchtest.World{
		Lists: map[string]fetchtest.List{url: {JSON: fetchtest.Playlist("PLtest", "Test list", entries...)}},
		Videos: map[string]fetchtest.Video{
			"ok00000000A": {Subs: sub},
			"limit00000A": {Subs: sub, FailTimes: 1, Error: "ERROR: [youtube] limit00000A: Unable to download webpage: HTTP Error 429: Too Many Requests (caused by <HTTPError 429: 'Too Many Requests'>)"},
			"net0000000A": {Subs: sub, FailTimes: 1, Error: "ERROR: [youtube] net0000000A: Unable to download webpage: <urlopen error [Errno -3] Temporary failure in name resolution>"},
			"gone000000A": {Error: "ERROR: [youtube] gone000000A: Video unavailable. This video has been removed by the uploader"},
			"crash00000A": {Subs: sub, Crash: true},
			"srv3000000A": {Subs: sub, Format: "srv3"},
			"ok00000000B": {Subs: sub},
		},
	}
	ytdlp := fetchtest.New(t, w)
	db := filepath.Join(t.TempDir(), "f.db")
	out, err := fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, url)
	if err == nil || !strings.Contains(err.Error(), "5 videos failed") {
		t.Errorf("err = %v", err)
	}
	wantOutput(t, out, "playlist “Test list”, 7 videos, 7 new", "failed (5):",
		"limit00000A: rate limited: ERROR: [youtube] limit00000A: Unable to download webpage: HTTP Error 429",
		"net0000000A: network failure: ERROR: [youtube] net0000000A: Unable to download webpage: <urlopen error",
		"gone000000A: video unavailable: ERROR: [youtube] gone000000A: Video unavailable. This video has been removed",
		"crash00000A: yt-dlp failed: signal: killed",
		"srv3000000A “Video srv3000000A”: subtitles not imported: yt-dlp wrote srv3 subtitles (srv3000000A.en.srv3); only vtt and srt are imported",
		"imported 2 segments of 2 videos")
	if runtime.GOOS == "windows" {
		return
	}
	if _, err := os.Stat(filepath.Join(db+".cache", "crash00000A.en.vtt.part")); err != nil {
		t.Errorf("the killed yt-dlp left no .part file: %v", err)
	}

	// The next run fetches what failed for a while; the killed video's
	// .part file is not mistaken for its subtitles.
	v := w.Videos["crash00000A"]
	v.Crash = false
	w.Videos["crash00000A"] = v
	ytdlp.SetWorld(t, w)
	out, err = fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, url)
	if err == nil {
		t.Error("the lasting failures were not reported")
	}
	wantOutput(t, out, "7 videos, 5 new", "imported 3 segments of 3 videos: 3 added", "failed (2):", "gone000000A: video unavailable", "srv3000000A “Video srv3000000A”: subtitles not imported")
	if got := transcriptText(t, db, "crash00000A"); got != "fine words" {
		t.Errorf("the killed video, fetched again: %q", got)
	}
}

func TestFetchStopsAskingWhenRateLimited(t *testing.T) {
	url := "https://www.youtube.com/playlist?list=PLlimited"
	w := fetchtest.World{Lists: map[string]fetchtest.List{}, Videos: map[string]fetchtest.Video{}}
	var entries []fetchtest.Entry
	for i := range 6 {
		id := fmt.Sprintf("limited%04d", i)
		entries = append(entries, fetchtest.Entry{ID: id})
		w.Videos[id] = fetchtest.Video{Error: "ERROR: [youtube] " + id + ": Unable to download webpage: HTTP Error 429: Too Many Requests"}
	}
	w.Lists[url] = fetchtest.List{JSON: fetchtest.Playlist("PLlimited", "Limited", entries...)}
	ytdlp := fetchtest.New(t, w)
	out, err := fetchRun(t, context.Background(), "-db", filepath.Join(t.TempDir(), "l.db"), "-yt-dlp", ytdlp.Path, url)
	if err == nil || !strings.Contains(err.Error(), "6 videos failed") {
		t.Errorf("err = %v", err)
	}
	wantOutput(t, out, "failed (3):", "not tried (3): YouTube refused 3 videos in a row with a rate limit; run the same command again later: limited0003 limited0004 limited0005")
	if got := ytdlp.Fetched(t); len(got) != 3 {
		t.Errorf("asked for %v after being rate limited", got)
	}
}

func TestFetchUnrecognisedURLWritesNothing(t *testing.T) {
	ytdlp := fetchtest.New(t, fetchtest.World{})
	db := filepath.Join(t.TempDir(), "n.db")
	out, err := fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, "https://example.com/not-a-video")
	if err == nil || !strings.Contains(err.Error(), "1 source failed") {
		t.Errorf("err = %v", err)
	}
	wantOutput(t, out, "https://example.com/not-a-video: not listed: yt-dlp does not recognise this URL (ERROR: Unsupported URL: https://example.com/not-a-video)")
	for _, p := range []string{db, db + ".cache"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s was written: %v", p, err)
		}
	}
}

func TestFetchYTDLPMissingOrTooOld(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	_, err := fetchRun(t, context.Background(), "-db", db, "-yt-dlp", filepath.Join(t.TempDir(), "yt-dlp"), chanURL)
	if err == nil || !strings.Contains(err.Error(), "apt-get install yt-dlp") || !strings.Contains(err.Error(), "pipx install yt-dlp") {
		t.Errorf("a missing yt-dlp: %v", err)
	}
	w := channelWorld(vOwn)
	w.Version, w.Refuses = "2022.04.08", []string{"--no-overwrites"}
	ytdlp := fetchtest.New(t, w)
	_, err = fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, chanURL)
	if err == nil || !strings.Contains(err.Error(), "yt-dlp 2022.04.08 ("+ytdlp.Path+") does not know the option --no-overwrites") {
		t.Errorf("an old yt-dlp: %v", err)
	}
	if got := catalogTotals(t, db); got.Videos != 0 {
		t.Errorf("an old yt-dlp imported %+v", got)
	}
	if _, err := fetchRun(t, context.Background(), "-db", filepath.Join(t.TempDir(), "none.db"), "-yt-dlp", ytdlp.Path, "-update"); err == nil || !strings.Contains(err.Error(), "fetch a channel into it first") {
		t.Errorf("-update without a database: %v", err)
	}
	if _, err := fetchRun(t, context.Background(), "-db", db); err == nil || !strings.Contains(err.Error(), "no URL given") {
		t.Errorf("no URL: %v", err)
	}
}

func TestFetchURLsFromAFile(t *testing.T) {
	ytdlp := fetchtest.New(t, channelWorld(vOwn))
	list := writeFile(t, "urls.txt", "# my channels\n\n"+chanURL+"\n  "+chanURL+"  \n")
	db := filepath.Join(t.TempDir(), "u.db")
	out, err := fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, "@"+list)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantOutput(t, out, "videos: 2 found", "imported 2 segments of 2 videos")
	if strings.Count(out, chanURL+":") != 1 {
		t.Errorf("a URL given twice was listed twice:\n%s", out)
	}
}

// TestFetchInterruptedThenResumed: Ctrl-C in the middle of a fetch keeps
// the batches imported so far and leaves the database whole; the same
// command then imports what was fetched from the cache and fetches only
// the rest.
func TestFetchInterruptedThenResumed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Ctrl-C is a POSIX signal here")
	}
	url := "https://www.youtube.com/playlist?list=PLlong"
	w := fetchtest.World{Lists: map[string]fetchtest.List{}, Videos: map[string]fetchtest.Video{}}
	var entries []fetchtest.Entry
	var ids []string
	for i := range 25 {
		id := fmt.Sprintf("long%07d", i)
		ids = append(ids, id)
		entries = append(entries, fetchtest.Entry{ID: id})
		w.Videos[id] = fetchtest.Video{Subs: map[string]string{"en": fetchtest.VTT(fmt.Sprintf("words of video %d", i))}}
	}
	w.Lists[url] = fetchtest.List{JSON: fetchtest.Playlist("PLlong", "Long", entries...)}
	// The 23rd video's yt-dlp presses Ctrl-C, as a terminal sends it to
	// every process of the group, and waits to be stopped.
	w.Videos[ids[22]] = fetchtest.Video{Interrupt: true}
	ytdlp := fetchtest.New(t, w)
	db := filepath.Join(t.TempDir(), "i.db")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	out, err := fetchRun(t, ctx, "-db", db, "-yt-dlp", ytdlp.Path, url)
	stop()
	if err == nil || !strings.Contains(err.Error(), "fetch interrupted") || !strings.Contains(err.Error(), "without fetching it again") {
		t.Fatalf("err = %v\n%s", err, out)
	}
	// The first batch (20 videos) is imported; the two fetched after it
	// are in the cache only.
	checkWhole(t, db)
	if got := catalogTotals(t, db); got != (catalog.Totals{Videos: 20, Segments: 20}) {
		t.Errorf("after Ctrl-C: %+v", got)
	}

	w.Videos[ids[22]] = fetchtest.Video{Subs: map[string]string{"en": fetchtest.VTT("words of video 22")}}
	ytdlp.SetWorld(t, w)
	n := len(ytdlp.Fetched(t))
	out, err = fetchRun(t, context.Background(), "-db", db, "-yt-dlp", ytdlp.Path, url)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantOutput(t, out, "25 videos, 5 new", "videos: 25 found, 20 already imported, 3 fetched, 2 from the cache, 0 failed", "imported 5 segments of 5 videos: 5 added")
	if again := ytdlp.Fetched(t)[n:]; !slices.Equal(again, ids[22:]) {
		t.Errorf("the second run fetched %v, want %v", again, ids[22:])
	}
	if got := catalogTotals(t, db); got != (catalog.Totals{Videos: 25, Segments: 25}) {
		t.Errorf("after the second run: %+v", got)
	}
}

// checkWhole checks a database's integrity and its full-text index's.
func checkWhole(t *testing.T, db string) {
	t.Helper()
	c, err := catalog.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Check(context.Background()); err != nil {
		t.Error(err)
	}
}
