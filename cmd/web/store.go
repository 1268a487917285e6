package main

import (
	"context"

	"github.com/transcripts/site/internal/catalog"
)

// store is what the pages read of a collection, beside the search index
// (search.Index): the videos, their transcripts and what is known of
// them. *catalog.Catalog is the SQLite store; a second backend serves the
// same pages by implementing this and search.Index. Imports, deletions
// and the other commands write through the catalog itself.
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

var _ store = (*catalog.Catalog)(nil)
