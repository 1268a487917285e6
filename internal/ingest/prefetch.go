package ingest

import (
	"iter"

	"github.com/transcripts/site/internal/catalog"
)

// prefetchSize is how many records are read ahead.
const prefetchSize = 1024

type item struct {
	rec catalog.Record
	err error
}

// prefetch reads seq in its own goroutine, ahead of the consumer, so that
// parsing (JSON decoding above all) runs on one core while the database
// writes on the other. Stopping early stops the reader too.
func prefetch(seq iter.Seq2[catalog.Record, error]) iter.Seq2[catalog.Record, error] {
	return func(yield func(catalog.Record, error) bool) {
		items := make(chan item, prefetchSize)
		done := make(chan struct{})
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			defer close(items)
			for rec, err := range seq {
				select {
				case items <- item{rec, err}:
				case <-done:
					return
				}
			}
		}()
		defer func() {
			close(done)
			<-finished
		}()
		for it := range items {
			if !yield(it.rec, it.err) {
				return
			}
		}
	}
}
