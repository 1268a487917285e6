package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/transcripts/site/internal/catalog"
)

// jsonArray reads the dataset's rows written as one JSON array, streaming
// it element by element.
func jsonArray(r io.Reader, name string) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		lr := newLineReader(r)
		dec := json.NewDecoder(lr)
		if err := openArray(dec); err != nil {
			yield(catalog.Record{}, &catalog.RowError{Pos: name + ":1", Err: err})
			return
		}
		for dec.More() {
			raw, pos, err := nextElement(dec, lr, name)
			if err != nil {
				yield(catalog.Record{}, err)
				return // the decoder cannot resume inside a broken array
			}
			rec, err := decodeRow(raw)
			if !emit(yield, pos, rec, err) {
				return
			}
		}
	}
}

// nextElement decodes the next element of a JSON array and returns it with
// the position of its first line.
func nextElement(dec *json.Decoder, lr *lineReader, name string) (json.RawMessage, string, error) {
	before := dec.InputOffset()
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		// A syntax error is reported where the decoder found the element
		// broken, not where the previous one ended.
		at := before
		var se *json.SyntaxError
		if errors.As(err, &se) && se.Offset > at {
			at = se.Offset
		}
		return nil, "", &catalog.RowError{Pos: fmt.Sprintf("%s:%d", name, lr.lineAt(at)), Err: fmt.Errorf("bad JSON: %s", jsonReason(err))}
	}
	// The decoder stands at the element's end; it began len(raw) before.
	return raw, fmt.Sprintf("%s:%d", name, lr.lineAt(dec.InputOffset()-int64(len(raw)))), nil
}

// lineReader counts the lines of what a json.Decoder reads, to tell the
// line of an offset it reports. The decoder reads ahead of its offset, so
// the offsets of newlines read but not yet passed are kept: a buffer's
// worth at most.
type lineReader struct {
	r        io.Reader
	read     int64   // bytes read so far
	newlines []int64 // offsets of newlines not yet passed
	passed   int     // newlines before the last offset asked about
}

func newLineReader(r io.Reader) *lineReader { return &lineReader{r: r} }

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, b := range p[:n] {
		if b == '\n' {
			l.newlines = append(l.newlines, l.read+int64(i))
		}
	}
	l.read += int64(n)
	return n, err
}

// lineAt returns the line (from 1) of offset, which must not decrease
// between calls.
func (l *lineReader) lineAt(offset int64) int {
	for len(l.newlines) > 0 && l.newlines[0] < offset {
		l.newlines = l.newlines[1:]
		l.passed++
	}
	return l.passed + 1
}
