// Package ingest reads transcript files into catalog records. Each reader
// streams its input, so a file of any size is read in constant memory, and
// reports a malformed row as "FILE:LINE: reason".
package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"

	"github.com/transcripts/site/internal/catalog"

	"github.com/transcripts/site/internal/excerpt"
)

// maxLine bounds one JSON Lines row; the dataset's rows are under 2 KB.
const maxLine = 1 << 20

// row is one object of the dataset's JSON Lines. Unknown fields
// (url, start_timestamp, …) are ignored.
type row struct {
	VideoID   *string `json:"video_id"`
	Text      *string `json:"text"`
	Start     *number `json:"start_second"`
	End       *number `json:"end_second"`
	Title     *string `json:"title"`
	Thumbnail *string `json:"thumbnail"`
	Channel   *string `json:"channel"`
	ChannelID *string `json:"channel_id"`
	Published *string `json:"published"`
	Speaker   *string `json:"speaker"`
}

// number is a count of seconds written as a JSON number or as a string
// ("838", "1,021", "12.5"), as the dataset's exports declare every column a
// string. Fractions are rounded down.
type number struct {
	v   int
	err error
}

func (n *number) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	n.v, n.err = parseSeconds(s)
	return nil // reported by the caller with the field's name
}

func parseSeconds(s string) (int, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || t == "" {
		return 0, fmt.Errorf("%q is not a number of seconds", excerpt.Bytes(s, 30))
	}
	if f < 0 {
		return 0, fmt.Errorf("%q is negative", excerpt.Bytes(s, 30))
	}
	if f > math.MaxInt32 {
		return 0, fmt.Errorf("%q is too large", excerpt.Bytes(s, 30))
	}
	return int(f), nil
}

// JSONLines reads the dataset's JSON Lines from r, one segment per line;
// name is used in positions. Blank lines are skipped, a UTF-8 byte order
// mark and CRLF line ends are accepted.
func JSONLines(r io.Reader, name string) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64*1024), maxLine)
		line := 0
		for sc.Scan() {
			line++
			b := sc.Bytes()
			if line == 1 {
				b = bytes.TrimPrefix(b, []byte("\uFEFF"))
			}
			b = bytes.TrimSpace(b)
			if len(b) == 0 {
				continue
			}
			rec, err := decodeRow(b)
			if !emit(yield, fmt.Sprintf("%s:%d", name, line), rec, err) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			if err == bufio.ErrTooLong {
				err = fmt.Errorf("line longer than %d bytes", maxLine)
			}
			yield(catalog.Record{}, &catalog.RowError{Pos: fmt.Sprintf("%s:%d", name, line+1), Err: err})
		}
	}
}

// emit yields a row's record at pos, or its error as a RowError there (a
// lenient reader goes on after it); it reports whether to go on.
func emit(yield func(catalog.Record, error) bool, pos string, rec catalog.Record, err error) bool {
	if err != nil {
		return yield(catalog.Record{}, &catalog.RowError{Pos: pos, Err: err})
	}
	rec.Pos = pos
	return yield(rec, nil)
}

func decodeRow(b []byte) (catalog.Record, error) {
	var r row
	if err := json.Unmarshal(b, &r); err != nil {
		return catalog.Record{}, fmt.Errorf("bad JSON: %s", jsonReason(err))
	}
	switch {
	case r.VideoID == nil:
		return catalog.Record{}, fmt.Errorf("missing video_id")
	case r.Text == nil:
		return catalog.Record{}, fmt.Errorf("missing text")
	case r.Start == nil:
		return catalog.Record{}, fmt.Errorf("missing start_second")
	case r.End == nil:
		return catalog.Record{}, fmt.Errorf("missing end_second")
	case r.Start.err != nil:
		return catalog.Record{}, fmt.Errorf("start_second: %w", r.Start.err)
	case r.End.err != nil:
		return catalog.Record{}, fmt.Errorf("end_second: %w", r.End.err)
	}
	return catalog.Record{
		VideoID:   *r.VideoID,
		Text:      *r.Text,
		Start:     r.Start.v,
		End:       r.End.v,
		Title:     deref(r.Title),
		Thumbnail: deref(r.Thumbnail),
		Speaker:   deref(r.Speaker),
		Info:      rowInfo(deref(r.Channel), deref(r.ChannelID), deref(r.Published)),
	}, nil
}

// rowInfo is what a dataset row's optional columns say about its video,
// or nil when they say nothing.
func rowInfo(channel, channelID, published string) *catalog.VideoInfo {
	if channel == "" && channelID == "" && published == "" {
		return nil
	}
	return &catalog.VideoInfo{Channel: channel, ChannelID: channelID, Published: published}
}

// jsonReason says what is wrong with a row without Go type names.
func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s must be a string, not a %s", te.Field, te.Value)
	}
	return err.Error()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
