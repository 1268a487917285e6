package fetch

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
)

// Kind is a kind of failure to fetch a video or list a source.
type Kind string

// The kinds of failure, told apart from yt-dlp's messages.
const (
	NoSubtitles Kind = "no subtitles"
	Private     Kind = "private video"
	Unavailable Kind = "video unavailable"
	SignIn      Kind = "sign-in required"
	RateLimited Kind = "rate limited"
	Network     Kind = "network failure"
	Unsupported Kind = "unsupported URL"
	NotYouTube  Kind = "not a YouTube video"
	Unreadable  Kind = "subtitles not imported"
	Failed      Kind = "yt-dlp failed"
)

// Failure is why a video or a source could not be fetched: its kind and
// what yt-dlp (or the importer) said.
type Failure struct {
	Kind   Kind
	Detail string
}

func (f *Failure) Error() string {
	if f.Detail == "" {
		return string(f.Kind)
	}
	return string(f.Kind) + ": " + f.Detail
}

// noSuchOption is optparse's message for an option it does not know.
var noSuchOption = regexp.MustCompile(`no such option: (-[-\w]*)`)

// failure turns a failed run into an error: a *TooOldError when yt-dlp
// refused one of our options, ctx's error when the run was interrupted,
// else a *Failure of the kind its messages tell.
func (y *YTDLP) failure(ctx context.Context, err error, stderr []byte) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if m := noSuchOption.FindSubmatch(stderr); m != nil {
		return &TooOldError{Path: y.Path, Version: y.Version, Option: string(m[1])}
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return fmt.Errorf("run %s: %w", y.Path, err) // it could not start
	}
	return classify(stderr, exit)
}

// The phrases by which yt-dlp (and YouTube through it) say why a video
// cannot be had, most specific first.
var phrases = []struct {
	kind    Kind
	phrases []string
}{
	{Unsupported, []string{"Unsupported URL", "is not a valid URL"}},
	{RateLimited, []string{"HTTP Error 429", "Too Many Requests", "confirm you’re not a bot", "confirm you're not a bot", "rate-limited"}},
	{Private, []string{"Private video", "This video is private"}},
	{SignIn, []string{"Sign in to confirm your age", "members-only", "Join this channel", "Sign in if you've been granted access", "This video is available to this channel's members"}},
	{Unavailable, []string{"Video unavailable", "This video is unavailable", "This video has been removed", "This video is no longer available", "is not available", "has been terminated", "does not exist", "Premieres in", "This live event will begin"}},
	{Network, []string{"Unable to download", "urlopen error", "timed out", "Connection refused", "Connection reset", "Temporary failure in name resolution", "Name or service not known", "No route to host", "Network is unreachable", "getaddrinfo failed", "RemoteDisconnected", "SSL:", "IncompleteRead", "HTTP Error 5"}},
}

// classify names the failure of a run by the ERROR lines it printed; a
// run that printed none (killed, crashed) is named by its exit.
func classify(stderr []byte, exit *exec.ExitError) *Failure {
	var errLines []string
	for _, l := range strings.Split(string(stderr), "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "ERROR:") {
			errLines = append(errLines, l)
		}
	}
	detail := strings.Join(errLines, " / ")
	if detail == "" {
		detail = lastLines(stderr, 2)
		if exit != nil {
			detail = strings.TrimSpace(exit.String() + ": " + detail)
		}
		detail = strings.TrimSuffix(detail, ":")
	}
	detail = truncate(detail, 300)
	for _, p := range phrases {
		for _, phrase := range p.phrases {
			if strings.Contains(detail, phrase) {
				return &Failure{Kind: p.kind, Detail: detail}
			}
		}
	}
	return &Failure{Kind: Failed, Detail: detail}
}
