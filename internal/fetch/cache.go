package fetch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The cache folder holds, per video, what yt-dlp wrote:
//
//	ID.info.json   the video's metadata
//	ID.LANG.vtt    its subtitles (or ID.LANG.srt)
//
// and, after an interrupted run, yt-dlp's unfinished files (*.part,
// *.tmp), which are never read: the next run's yt-dlp resumes or
// replaces them. A video whose subtitles and .info.json are both there is
// not fetched again.

// importable are the subtitle formats the importer reads, in the order
// they are preferred.
var importable = []string{"vtt", "srt"}

// cached returns the paths of a video's subtitle file and .info.json in
// dir, "" for each that is not there (whole).
func cached(dir, id, lang string) (sub, info string) {
	for _, ext := range importable {
		if p := filepath.Join(dir, id+"."+lang+"."+ext); isFile(p) {
			sub = p
			break
		}
	}
	if p := filepath.Join(dir, id+".info.json"); isFile(p) {
		info = p
	}
	return sub, info
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// noSubtitles is the failure of a video yt-dlp wrote no importable
// subtitles for: none in the language, or only in a format the importer
// cannot read.
func noSubtitles(dir, id string, o Options) *Failure {
	others, _ := filepath.Glob(filepath.Join(dir, id+"."+o.Lang+".*"))
	for _, p := range others {
		if ext := strings.TrimPrefix(filepath.Ext(p), "."); ext != "part" && ext != "tmp" {
			return &Failure{Kind: Unreadable, Detail: fmt.Sprintf("yt-dlp wrote %s subtitles (%s); only vtt and srt are imported", ext, filepath.Base(p))}
		}
	}
	if o.AutoCaptions {
		return &Failure{Kind: NoSubtitles, Detail: "no automatic captions in " + o.Lang}
	}
	return &Failure{Kind: NoSubtitles, Detail: "neither subtitles nor automatic captions in " + o.Lang}
}
