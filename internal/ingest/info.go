package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"time"

	"github.com/transcripts/site/internal/catalog"
)

// maxInfo bounds a yt-dlp .info.json; real ones are under a few MB (most
// of it the list of formats).
const maxInfo = 64 << 20

// ytInfo is the part of yt-dlp's .info.json the catalog keeps
// (yt_dlp/extractor/common.py documents every field). Fields that may be
// null or absent are pointers or raw values.
type ytInfo struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Fulltitle   string      `json:"fulltitle"`
	Channel     string      `json:"channel"`
	ChannelID   string      `json:"channel_id"`
	Uploader    string      `json:"uploader"`
	UploadDate  string      `json:"upload_date"` // YYYYMMDD
	ReleaseDate string      `json:"release_date"`
	Timestamp   *float64    `json:"timestamp"` // Unix seconds of the upload
	Duration    *float64    `json:"duration"`  // seconds
	Description string      `json:"description"`
	Tags        []string    `json:"tags"`
	Chapters    []ytChapter `json:"chapters"`
	Language    string      `json:"language"`
	Thumbnail   string      `json:"thumbnail"`
	Type        string      `json:"_type"` // "video", or "playlist" for a playlist's own file
}

// ytChapter is one of yt-dlp's chapters: times in seconds.
type ytChapter struct {
	StartTime *float64 `json:"start_time"`
	EndTime   *float64 `json:"end_time"`
	Title     string   `json:"title"`
}

// infoJSON reads a yt-dlp .info.json as one record describing its video,
// with no segment: its transcript comes from the subtitles beside it (or
// is in the catalog already), matched by the video id.
func infoJSON(r io.Reader, name string) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		data, err := io.ReadAll(io.LimitReader(r, maxInfo+1))
		if err != nil {
			yield(catalog.Record{}, err)
			return
		}
		if len(data) > maxInfo {
			yield(catalog.Record{}, fmt.Errorf("%s: larger than %d MB: not a yt-dlp .info.json", name, maxInfo>>20))
			return
		}
		data = bytes.TrimPrefix(data, []byte("\uFEFF"))
		var info ytInfo
		if err := json.Unmarshal(data, &info); err != nil {
			yield(catalog.Record{}, &catalog.RowError{Pos: fmt.Sprintf("%s:%d", name, errorLine(data, err)), Err: fmt.Errorf("bad JSON: %s", jsonReason(err))})
			return
		}
		at := func(key string) string { return fmt.Sprintf("%s:%d", name, lineOfKey(data, key)) }
		if info.Type == "playlist" {
			return // a playlist's own file describes no video
		}
		if info.ID == "" {
			yield(catalog.Record{}, &catalog.RowError{Pos: name + ":1", Err: errors.New("missing id")})
			return
		}
		rec := catalog.Record{Pos: at("id"), VideoID: info.ID, Title: info.Title, Thumbnail: info.Thumbnail, InfoOnly: true}
		if rec.Title == "" {
			rec.Title = info.Fulltitle
		}
		vi := &catalog.VideoInfo{
			ChannelID:   info.ChannelID,
			Channel:     info.Channel,
			Published:   info.UploadDate,
			Description: info.Description,
			Tags:        info.Tags,
			Language:    info.Language,
		}
		if vi.Channel == "" {
			vi.Channel = info.Uploader
		}
		if vi.Published == "" {
			vi.Published = info.ReleaseDate
		}
		if vi.Published == "" && info.Timestamp != nil && *info.Timestamp > 0 && *info.Timestamp < math.MaxInt32*4 {
			vi.Published = time.Unix(int64(*info.Timestamp), 0).UTC().Format("20060102")
		}
		if d := info.Duration; d != nil {
			if *d < 0 || math.IsNaN(*d) || *d > math.MaxInt32 {
				yield(catalog.Record{}, &catalog.RowError{Pos: at("duration"), Err: fmt.Errorf("duration %v is not a length in seconds", *d)})
				return
			}
			vi.Duration = int(math.Round(*d))
		}
		if info.Chapters != nil {
			vi.Chapters = []catalog.Chapter{}
		}
		for i, ch := range info.Chapters {
			if ch.StartTime == nil || *ch.StartTime < 0 || math.IsNaN(*ch.StartTime) || *ch.StartTime > math.MaxInt32 {
				yield(catalog.Record{}, &catalog.RowError{Pos: at("chapters"), Err: fmt.Errorf("chapter %d has no start_time in seconds", i+1)})
				return
			}
			vi.Chapters = append(vi.Chapters, catalog.Chapter{Start: int(*ch.StartTime), Title: ch.Title})
		}
		rec.Info = vi
		// A bad date is reported at its own line.
		if vi.Published != "" {
			if _, err := strconv.Atoi(vi.Published); err != nil || len(vi.Published) != 8 {
				rec.Pos = at("upload_date")
			}
		}
		yield(rec, nil)
	}
}

// errorLine is the line of a JSON decoding error in data, or 1.
func errorLine(data []byte, err error) int {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
	case errors.As(err, &te):
		return 1 + bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n"))
	}
	return 1
}

// lineOfKey is the line where "key": first appears in data, or 1.
func lineOfKey(data []byte, key string) int {
	i := bytes.Index(data, []byte(`"`+key+`"`))
	if i < 0 {
		return 1
	}
	return 1 + bytes.Count(data[:i], []byte("\n"))
}
