package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

// importCmd loads JSON Lines files into a database in one transaction.
func importCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("web import", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dbPath := fset.String("db", envOr(getenv, "DB_PATH", defaultDB), "SQLite database to import into, created if missing (env DB_PATH)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: web import -db PATH FILE.jsonl...")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() == 0 {
		fset.Usage()
		return errors.New("import: no files given")
	}
	_, statErr := os.Stat(*dbPath)
	existed := statErr == nil
	stats, err := importInto(ctx, *dbPath, ingest.Files(fset.Args()))
	if err != nil {
		if !existed {
			removeDB(*dbPath) // leave no empty database behind
		}
		var rowErr *catalog.RowError
		if errors.As(err, &rowErr) {
			err = rowErr
		}
		return fmt.Errorf("import failed, nothing was imported and %s is unchanged:\n%w", *dbPath, err)
	}
	fmt.Fprintf(stdout, "imported %d segments of %d videos from %d file(s) into %s in %.2fs\n",
		stats.Segments, stats.Videos, fset.NArg(), *dbPath, stats.Elapsed.Seconds())
	return nil
}

// importInto opens (creating) the database at path and imports records
// into it.
func importInto(ctx context.Context, path string, records iter.Seq2[catalog.Record, error]) (catalog.ImportStats, error) {
	cat, err := catalog.Open(ctx, path)
	if err != nil {
		return catalog.ImportStats{}, err
	}
	stats, err := cat.Import(ctx, records)
	if cerr := cat.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", path, cerr)
	}
	return stats, err
}
