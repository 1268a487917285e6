package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"math"

	"github.com/transcripts/site/internal/catalog"
)

// caption is one entry of youtube-transcript-api's JSON.
type caption struct {
	Text     *string  `json:"text"`
	Start    *float64 `json:"start"`
	Duration *float64 `json:"duration"`
}

// captions reads youtube-transcript-api's JSON ([{"text", "start",
// "duration"}], seconds as numbers) as the cues of one video, streaming
// the array element by element.
func captions(r io.Reader, name, videoID, title string) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		lr := newLineReader(r)
		dec := json.NewDecoder(lr)
		if err := openArray(dec); err != nil {
			yield(catalog.Record{}, &catalog.RowError{Pos: name + ":1", Err: err})
			return
		}
		for i := 1; dec.More(); i++ {
			raw, pos, err := nextElement(dec, lr, name)
			if err != nil {
				yield(catalog.Record{}, err)
				return // the decoder cannot resume inside a broken array
			}
			var c caption
			if err := json.Unmarshal(raw, &c); err != nil {
				if !yield(catalog.Record{}, &catalog.RowError{Pos: pos, Err: fmt.Errorf("caption %d: %s", i, jsonReason(err))}) {
					return
				}
				continue
			}
			rec, err := c.record(videoID, title)
			if err != nil {
				if !yield(catalog.Record{}, &catalog.RowError{Pos: pos, Err: fmt.Errorf("caption %d: %w", i, err)}) {
					return
				}
				continue
			}
			rec.Pos = pos
			if !yield(rec, nil) {
				return
			}
		}
	}
}

func (c caption) record(videoID, title string) (catalog.Record, error) {
	switch {
	case c.Text == nil:
		return catalog.Record{}, fmt.Errorf("missing text")
	case c.Start == nil:
		return catalog.Record{}, fmt.Errorf("missing start")
	case *c.Start < 0 || math.IsNaN(*c.Start) || *c.Start > math.MaxInt32:
		return catalog.Record{}, fmt.Errorf("start %v is not a time in a video", *c.Start)
	}
	d := 0.0
	if c.Duration != nil && *c.Duration > 0 && *c.Duration < math.MaxInt32 {
		d = *c.Duration
	}
	return catalog.Record{
		VideoID: videoID,
		Title:   title,
		Text:    cleanCue(*c.Text),
		Start:   int(*c.Start),
		End:     int(math.Ceil(*c.Start + d)),
	}, nil
}

// openArray reads the opening bracket of a JSON array.
func openArray(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("bad JSON: %s", jsonReason(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("expected a JSON array")
	}
	return nil
}
