package ingest

//go:generate go run ./internal/genparquet

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"sync/atomic"

	"github.com/parquet-go/parquet-go"

	"github.com/transcripts/site/internal/catalog"
)

// parquetBatch is how many rows are read at a time: memory stays flat
// whatever the file's size.
const parquetBatch = 1024

// parquetRows reads the dataset as the Hugging Face hub exports it to
// Parquet: columns named like the JSON fields, strings or numbers.
// Positions are row numbers ("file.parquet:row 12"). read counts the bytes
// of the file as its row groups are read.
func parquetRows(f *os.File, name string, read *atomic.Int64) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		info, err := f.Stat()
		if err != nil {
			yield(catalog.Record{}, err)
			return
		}
		pf, err := openParquet(f, info.Size())
		if err != nil {
			yield(catalog.Record{}, fmt.Errorf("%s: not a Parquet file: %w", name, err))
			return
		}
		columns := map[string]int{}
		for _, c := range append(append([]string{}, requiredColumns...), optionalColumns...) {
			if leaf, ok := pf.Schema().Lookup(c); ok {
				columns[c] = leaf.ColumnIndex
			}
		}
		for _, c := range requiredColumns {
			if _, ok := columns[c]; !ok {
				yield(catalog.Record{}, fmt.Errorf("%s: no %s column (it needs %v)", name, c, requiredColumns))
				return
			}
		}
		// Progress in bytes, estimated from rows: the file is read through
		// its row groups, not front to back.
		perRow := float64(info.Size()) / float64(max(1, pf.NumRows()))
		rowNum := 0
		buf := make([]parquet.Row, parquetBatch)
		for _, rg := range pf.RowGroups() {
			rows := rg.Rows()
			for {
				n, err := readRows(rows, buf)
				read.Add(int64(float64(n) * perRow))
				for _, row := range buf[:n] {
					rowNum++
					values := map[string]parquet.Value{}
					for _, v := range row {
						for c, idx := range columns {
							if v.Column() == idx {
								values[c] = v
							}
						}
					}
					pos := fmt.Sprintf("%s:row %d", name, rowNum)
					rec, rerr := tabularRecord(func(c string) (string, bool) {
						v, ok := values[c]
						if !ok || v.IsNull() {
							return "", false
						}
						return parquetString(v), true
					})
					if !emit(yield, pos, rec, rerr) {
						rows.Close()
						return
					}
				}
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					rows.Close()
					yield(catalog.Record{}, fmt.Errorf("%s: row %d: %w", name, rowNum+1, err))
					return
				}
			}
			rows.Close()
		}
	}
}

// parquetString renders a value as the dataset's JSON would hold it.
func parquetString(v parquet.Value) string {
	switch v.Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return string(v.ByteArray())
	case parquet.Int32, parquet.Int64:
		return strconv.FormatInt(v.Int64(), 10)
	case parquet.Float, parquet.Double:
		return strconv.FormatFloat(v.Double(), 'f', -1, 64)
	case parquet.Boolean:
		return strconv.FormatBool(v.Boolean())
	}
	return v.String()
}

// openParquet opens a Parquet file; a malformed file that makes the
// library panic is reported as an error, not a crash of the import.
func openParquet(f *os.File, size int64) (pf *parquet.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed file: %v", r)
		}
	}()
	return parquet.OpenFile(f, size)
}

// readRows reads the next rows, turning a panic on malformed data into an
// error.
func readRows(rows parquet.Rows, buf []parquet.Row) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("malformed data: %v", r)
		}
	}()
	return rows.ReadRows(buf)
}
