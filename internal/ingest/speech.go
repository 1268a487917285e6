package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"

	"github.com/transcripts/site/internal/catalog"
)

// whisperSegment is one segment of OpenAI Whisper's JSON output
// ({"text", "segments": [{"start", "end", "text", …}], "language"}); WhisperX
// adds a diarized "speaker" ("SPEAKER_00") and word timings, which are not
// needed.
type whisperSegment struct {
	Start   *float64 `json:"start"`
	End     *float64 `json:"end"`
	Text    *string  `json:"text"`
	Speaker string   `json:"speaker"`
}

// podcastSegment is one segment of a Podcasting 2.0 JSON transcript
// (podcast:transcript, type application/json): {"version": "1.0.0",
// "segments": [{"speaker", "startTime", "endTime", "body"}]}, often a word
// a segment.
type podcastSegment struct {
	Speaker   string   `json:"speaker"`
	StartTime *float64 `json:"startTime"`
	EndTime   *float64 `json:"endTime"`
	Body      *string  `json:"body"`
}

// whisperJSON reads a Whisper or WhisperX JSON transcript of one video.
func whisperJSON(r io.Reader, name, videoID, title string) iter.Seq2[catalog.Record, error] {
	return speechJSON(r, name, videoID, title, func(raw json.RawMessage) (catalog.Record, error) {
		var s whisperSegment
		if err := json.Unmarshal(raw, &s); err != nil {
			return catalog.Record{}, fmt.Errorf("bad segment: %s", jsonReason(err))
		}
		switch {
		case s.Start == nil:
			return catalog.Record{}, errors.New("segment without start")
		case s.Text == nil:
			return catalog.Record{}, errors.New("segment without text")
		}
		return timedCue(*s.Start, s.End, *s.Text, s.Speaker, "start", "end")
	})
}

// podcastJSON reads a Podcasting 2.0 JSON transcript of one video.
func podcastJSON(r io.Reader, name, videoID, title string) iter.Seq2[catalog.Record, error] {
	return speechJSON(r, name, videoID, title, func(raw json.RawMessage) (catalog.Record, error) {
		var s podcastSegment
		if err := json.Unmarshal(raw, &s); err != nil {
			return catalog.Record{}, fmt.Errorf("bad segment: %s", jsonReason(err))
		}
		switch {
		case s.StartTime == nil:
			return catalog.Record{}, errors.New("segment without startTime")
		case s.Body == nil:
			return catalog.Record{}, errors.New("segment without body")
		}
		return timedCue(*s.StartTime, s.EndTime, *s.Body, s.Speaker, "startTime", "endTime")
	})
}

// timedCue is a cue from seconds as JSON transcripts write them.
func timedCue(start float64, end *float64, text, speaker, startName, endName string) (catalog.Record, error) {
	if start < 0 || math.IsNaN(start) || start > math.MaxInt32 {
		return catalog.Record{}, fmt.Errorf("%s %v is not a time in a video", startName, start)
	}
	e := start
	if end != nil {
		if *end < start || math.IsNaN(*end) || *end > math.MaxInt32 {
			return catalog.Record{}, fmt.Errorf("%s %v is before %s %v", endName, *end, startName, start)
		}
		e = *end
	}
	return catalog.Record{Start: int(start), End: int(math.Ceil(e)), Text: text, Speaker: speaker}, nil
}

// speechJSON streams the "segments" array of a JSON transcript object,
// each element read by segment, merged into dataset-sized segments that
// end at every change of speaker; a "language" key describes the video.
func speechJSON(r io.Reader, name, videoID, title string, segment func(json.RawMessage) (catalog.Record, error)) iter.Seq2[catalog.Record, error] {
	cues := func(yield func(catalog.Record, error) bool) {
		lr := newLineReader(r)
		dec := json.NewDecoder(lr)
		fail := func(err error) {
			yield(catalog.Record{}, &catalog.RowError{Pos: fmt.Sprintf("%s:%d", name, lr.lineAt(dec.InputOffset())), Err: err})
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			fail(errors.New("expected a JSON object with segments"))
			return
		}
		found := false
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				fail(fmt.Errorf("bad JSON: %s", jsonReason(err)))
				return
			}
			switch key, _ := tok.(string); key {
			case "segments":
				found = true
				if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
					fail(errors.New("segments must be an array"))
					return
				}
				for i := 1; dec.More(); i++ {
					raw, pos, err := nextElement(dec, lr, name)
					if err != nil {
						yield(catalog.Record{}, err)
						return // the decoder cannot resume inside a broken array
					}
					rec, err := segment(raw)
					if err != nil {
						if !yield(catalog.Record{}, &catalog.RowError{Pos: pos, Err: fmt.Errorf("segment %d: %w", i, err)}) {
							return
						}
						continue
					}
					rec.Pos, rec.VideoID, rec.Title = pos, videoID, title
					if !yield(rec, nil) {
						return
					}
				}
				if _, err := dec.Token(); err != nil {
					fail(fmt.Errorf("bad JSON: %s", jsonReason(err)))
					return
				}
			case "language":
				line := lr.lineAt(dec.InputOffset())
				var lang *string
				if err := dec.Decode(&lang); err != nil {
					fail(fmt.Errorf("language: %s", jsonReason(err)))
					return
				}
				if lang != nil && *lang != "" {
					info := catalog.Record{Pos: fmt.Sprintf("%s:%d", name, line), VideoID: videoID, InfoOnly: true,
						Info: &catalog.VideoInfo{Language: *lang}}
					if !yield(info, nil) {
						return
					}
				}
			default:
				if err := skipValue(dec); err != nil {
					fail(fmt.Errorf("bad JSON: %s", jsonReason(err)))
					return
				}
			}
		}
		if !found {
			yield(catalog.Record{}, &catalog.RowError{Pos: name + ":1", Err: errors.New("no segments")})
		}
	}
	return mergeSpeech(cues)
}

// skipValue reads past the next value without keeping it: a WhisperX
// file's word timings can be larger than its segments.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}
