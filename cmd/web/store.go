package main

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"os"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/internal/search"
)

// store is what the pages read of a collection, beside the search index
// (search.Index): the videos, their transcripts and what is known of
// them. *catalog.Catalog (SQLite) and *postgres.Store implement it.
type store interface {
	// Version changes whenever the collection does: it keys the page
	// cache and the ETags.
	Version(ctx context.Context) (catalog.Version, error)
	// Ping reports whether the store answers (the health check).
	Ping(ctx context.Context) error
	Totals(ctx context.Context) (catalog.Totals, error)

	Videos(ctx context.Context, offset, limit int) ([]catalog.Video, error)
	FindVideos(ctx context.Context, q catalog.VideoQuery) ([]catalog.Video, error)
	CountVideos(ctx context.Context, channelID string) (catalog.Totals, error)
	Video(ctx context.Context, id string) (catalog.Video, error)
	Transcript(ctx context.Context, videoID string) ([]catalog.Segment, error)
	Chapters(ctx context.Context, videoID string) ([]catalog.Chapter, error)
	Speakers(ctx context.Context, videoID string) ([]catalog.Speaker, error)
	RepeatedIn(ctx context.Context, videoID string) (map[int64]catalog.Repeat, error)

	Channel(ctx context.Context, id string) (catalog.Channel, error)
	Channels(ctx context.Context) ([]catalog.Channel, error)

	// The search tips of an empty results page.
	FrequentTerms(ctx context.Context, limit, minLetters, maxSegments int) ([]catalog.Term, error)
	CommonPrefixes(ctx context.Context, limit, letters, minStems int) ([]catalog.Prefix, error)
}

// collection is a whole store as the commands use it: what the pages
// read, and the writes of import, delete and repeats.
type collection interface {
	store
	Import(ctx context.Context, records iter.Seq2[catalog.Record, error], opts catalog.ImportOptions) (catalog.ImportStats, error)
	Delete(ctx context.Context, ids []string) (catalog.DeleteStats, error)
	Info(ctx context.Context) (catalog.Info, error)
	Clusters(ctx context.Context, limit int) ([]catalog.Cluster, error)
	SetVerdict(ctx context.Context, cluster int64, verdict string) error
	// SearchIndex returns the store's own search index.
	SearchIndex() search.Index
	Close() error
}

var (
	_ collection = (*catalog.Catalog)(nil)
	_ collection = (*postgres.Store)(nil)
)

// openExisting opens a collection that must already exist, for writing:
// a SQLite file, or a PostgreSQL database (its primary) when db is a
// postgres:// URL.
func openExisting(ctx context.Context, db string) (collection, error) {
	if postgres.IsURL(db) {
		return postgres.Open(ctx, db, postgres.Existing())
	}
	if _, err := os.Stat(db); err != nil {
		return nil, fmt.Errorf("database %s: %w", db, err)
	}
	return catalog.Open(ctx, db)
}

// openReading opens a collection to read: a SQLite file read-only, so
// reading works on a read-only volume and beside an import, or a
// PostgreSQL database (a primary or a replica).
func openReading(ctx context.Context, db string) (collection, error) {
	if postgres.IsURL(db) {
		return postgres.Open(ctx, db, postgres.Existing())
	}
	return catalog.OpenReadOnly(ctx, db)
}

// shownDB is how a -db value is written in logs and messages: a URL
// without its password.
func shownDB(db string) string {
	if !postgres.IsURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
