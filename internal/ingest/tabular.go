package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"

	"github.com/transcripts/site/internal/catalog"
)

// columns are the dataset's columns a tabular file must (or may) have.
var (
	requiredColumns = []string{"video_id", "text", "start_second", "end_second"}
	optionalColumns = []string{"title", "thumbnail", "channel", "channel_id", "published", "speaker"}
)

// tabularRecord builds a record from a row's values by column; numbers may
// be written as the dataset's exports write them ("1,021").
func tabularRecord(get func(column string) (string, bool)) (catalog.Record, error) {
	var rec catalog.Record
	for _, c := range requiredColumns {
		if _, ok := get(c); !ok {
			return rec, fmt.Errorf("missing %s", c)
		}
	}
	rec.VideoID, _ = get("video_id")
	rec.Text, _ = get("text")
	rec.Title, _ = get("title")
	rec.Thumbnail, _ = get("thumbnail")
	rec.Speaker, _ = get("speaker")
	channel, _ := get("channel")
	channelID, _ := get("channel_id")
	published, _ := get("published")
	rec.Info = rowInfo(channel, channelID, published)
	start, _ := get("start_second")
	end, _ := get("end_second")
	var err error
	if rec.Start, err = parseSeconds(start); err != nil {
		return rec, fmt.Errorf("start_second: %w", err)
	}
	if rec.End, err = parseSeconds(end); err != nil {
		return rec, fmt.Errorf("end_second: %w", err)
	}
	return rec, nil
}

// delimited reads CSV (comma) or TSV (tab) with a header row naming the
// dataset's columns, in any order; other columns are ignored.
func delimited(r io.Reader, name string, comma rune) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		cr := csv.NewReader(r)
		cr.Comma = comma
		cr.FieldsPerRecord = -1 // a short row is reported as such, below
		cr.ReuseRecord = true
		if comma == '\t' {
			cr.LazyQuotes = true // TSV rarely quotes, and a stray " is text
		}
		header, err := cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return // an empty file holds no rows
			}
			yield(catalog.Record{}, &catalog.RowError{Pos: name + ":1", Err: fmt.Errorf("header: %v", csvReason(err))})
			return
		}
		index := map[string]int{}
		for i, h := range header {
			h = strings.ToLower(strings.TrimSpace(string(bytes.TrimPrefix([]byte(h), []byte("\uFEFF")))))
			if _, dup := index[h]; !dup {
				index[h] = i
			}
		}
		for _, c := range requiredColumns {
			if _, ok := index[c]; !ok {
				yield(catalog.Record{}, fmt.Errorf("%s:1: the header has no %s column (it needs %s)", name, c, strings.Join(requiredColumns, ", ")))
				return
			}
		}
		for {
			row, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return
			}
			line, _ := cr.FieldPos(0)
			pos := fmt.Sprintf("%s:%d", name, line)
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					pos = fmt.Sprintf("%s:%d", name, pe.StartLine)
				}
				if !yield(catalog.Record{}, &catalog.RowError{Pos: pos, Err: errors.New(csvReason(err))}) {
					return
				}
				continue
			}
			if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
				continue // a blank line
			}
			rec, err := tabularRecord(func(c string) (string, bool) {
				i, ok := index[c]
				if !ok || i >= len(row) {
					return "", slices.Contains(optionalColumns, c)
				}
				return row[i], true
			})
			if !emit(yield, pos, rec, err) {
				return
			}
		}
	}
}

// csvReason says what is wrong with a CSV row without the package's
// prefix.
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "bad CSV: " + pe.Err.Error()
	}
	return err.Error()
}
