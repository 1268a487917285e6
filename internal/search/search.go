// Package search runs full-text searches over the catalog's segments:
// it turns what a person typed into a safe FTS5 expression, ranks matches
// by BM25 and returns a page of hits with highlighted snippets.
package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

const (
	// PerPage is the number of hits on a results page.
	PerPage = 20
	// MaxPage bounds how deep a reader can page, so no URL makes the
	// server rank and skip an unbounded number of matches.
	MaxPage = 50

	// Snippet markers: control characters, which the importer removes
	// from transcript text, so they can only come from snippet().
	markOpen  = "\x02"
	markClose = "\x03"
	// snippetTokens is how many words of a segment a snippet shows.
	snippetTokens = 40
)

// Engine searches the catalog's full-text index.
type Engine struct {
	db      *sql.DB
	timeout time.Duration
}

// New returns an Engine over the catalog database db; each search is
// abandoned after timeout.
func New(db *sql.DB, timeout time.Duration) *Engine {
	return &Engine{db: db, timeout: timeout}
}

// Fragment is a piece of a snippet: matched words or the text around them.
type Fragment struct {
	Text  string
	Match bool
}

// Hit is one matching segment.
type Hit struct {
	SegmentID  int64
	VideoID    string
	Title      string // may be empty
	Thumbnail  string
	Start      int
	End        int
	Text       string // the whole segment
	Snippet    []Fragment
	ImportedAt time.Time // when the hit's video was last imported
}

// Sort is the order of hits.
type Sort int

const (
	// Relevance puts the best BM25 matches first.
	Relevance Sort = iota
	// Newest puts hits from the most recently imported videos first, best
	// first within a video's import (for feeds of a saved search).
	Newest
)

// Results is one page of hits for a query.
type Results struct {
	Query Query
	Total int // matching segments in all
	Page  int
	Hits  []Hit
}

// Pages returns the number of result pages, at most MaxPage.
func (r Results) Pages() int {
	return min(MaxPage, (r.Total+PerPage-1)/PerPage)
}

// Search parses input and returns its page'th page (from 1) of hits, best
// first. A query that cannot be searched returns an error wrapping
// ErrBadQuery; one that runs out of time, context.DeadlineExceeded.
func (e *Engine) Search(ctx context.Context, input string, page int) (Results, error) {
	q, err := Parse(input)
	if err != nil {
		return Results{}, fmt.Errorf("search %q: %w", input, err)
	}
	if page < 1 || page > MaxPage {
		return Results{}, fmt.Errorf("search %q: %w", input, &QueryError{Reason: fmt.Sprintf("Results go from page 1 to %d.", MaxPage)})
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()

	res := Results{Query: q, Page: page}
	if err := e.db.QueryRowContext(ctx, `SELECT count(*) FROM segments_fts WHERE segments_fts MATCH ?`, q.FTS()).Scan(&res.Total); err != nil {
		return Results{}, e.wrap(ctx, input, err)
	}
	if res.Total == 0 || (page-1)*PerPage >= res.Total {
		return res, nil
	}
	err = e.each(ctx, q, Relevance, PerPage, (page-1)*PerPage, func(h Hit) error {
		res.Hits = append(res.Hits, h)
		return nil
	})
	if err != nil {
		return Results{}, e.wrap(ctx, input, err)
	}
	return res, nil
}

// Each calls fn with up to limit hits for input in the given order, as
// they are read, for exports and feeds. An error from fn stops the
// iteration and is returned.
func (e *Engine) Each(ctx context.Context, input string, sort Sort, limit int, fn func(Hit) error) error {
	q, err := Parse(input)
	if err != nil {
		return fmt.Errorf("search %q: %w", input, err)
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	if err := e.each(ctx, q, sort, limit, 0, fn); err != nil {
		return e.wrap(ctx, input, err)
	}
	return nil
}

// hitQueries select hits with snippets in each order. Ranking in the inner
// query lets FTS5 keep only the best rows (ORDER BY rank) and build
// snippets for those alone; the newest-first order picks its rows first and
// then builds their snippets with a second, rowid-bounded MATCH.
var hitQueries = map[Sort]string{
	Relevance: `
		WITH top AS (
			SELECT rowid, rank, snippet(segments_fts, 0, ?1, ?2, '…', ?3) AS snippet
			FROM segments_fts
			WHERE segments_fts MATCH ?4
			ORDER BY rank
			LIMIT ?5 OFFSET ?6
		)
		SELECT s.id, s.video_id, v.title, v.thumbnail, s.start_second, s.end_second, s.text, top.snippet, v.imported_at
		FROM top
		JOIN segments s ON s.id = top.rowid
		JOIN videos v ON v.video_id = s.video_id
		ORDER BY top.rank`,
	Newest: `
		WITH top AS (
			SELECT f.rowid AS id, v.imported_at AS imported_at, f.rank AS rank
			FROM segments_fts f
			JOIN segments s ON s.id = f.rowid
			JOIN videos v ON v.video_id = s.video_id
			WHERE segments_fts MATCH ?4
			ORDER BY v.imported_at DESC, f.rank
			LIMIT ?5 OFFSET ?6
		)
		SELECT s.id, s.video_id, v.title, v.thumbnail, s.start_second, s.end_second, s.text,
			snippet(segments_fts, 0, ?1, ?2, '…', ?3), v.imported_at
		FROM top
		JOIN segments_fts ON segments_fts.rowid = top.id
		JOIN segments s ON s.id = top.id
		JOIN videos v ON v.video_id = s.video_id
		WHERE segments_fts MATCH ?4
		ORDER BY top.imported_at DESC, top.rank`,
}

func (e *Engine) each(ctx context.Context, q Query, sort Sort, limit, offset int, fn func(Hit) error) error {
	query, ok := hitQueries[sort]
	if !ok {
		return fmt.Errorf("unknown sort %d", sort)
	}
	rows, err := e.db.QueryContext(ctx, query, markOpen, markClose, snippetTokens, q.FTS(), limit, offset)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var h Hit
		var snippet, imported string
		if err := rows.Scan(&h.SegmentID, &h.VideoID, &h.Title, &h.Thumbnail, &h.Start, &h.End, &h.Text, &snippet, &imported); err != nil {
			return err
		}
		h.Snippet = fragments(snippet)
		h.ImportedAt, _ = time.Parse(time.RFC3339, imported) // written by catalog.Import in this format
		if err := fn(h); err != nil {
			return err
		}
	}
	return rows.Err()
}

// wrap adds context to a database error. A deadline is reported as such
// (SQLite reports an interrupt); an FTS5 syntax error, which the
// translator should make impossible, still reaches the reader as a bad
// query rather than a failure.
func (e *Engine) wrap(ctx context.Context, input string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("search %q: %w", input, ctxErr)
	}
	if strings.Contains(err.Error(), "fts5:") {
		return fmt.Errorf("search %q: %w (%v)", input, &QueryError{Reason: "This query could not be searched."}, err)
	}
	return fmt.Errorf("search %q: %w", input, err)
}

// fragments splits a snippet with markers into plain and matched text.
func fragments(s string) []Fragment {
	var out []Fragment
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			out = append(out, Fragment{Text: s})
			break
		}
		if i > 0 {
			out = append(out, Fragment{Text: s[:i]})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			j = len(s)
		}
		out = append(out, Fragment{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], markClose)
	}
	return out
}

// IsBadQuery reports whether err is about the query rather than the
// server, and returns the reader-facing reason.
func IsBadQuery(err error) (string, bool) {
	var qe *QueryError
	if errors.As(err, &qe) {
		return qe.Reason, true
	}
	return "", false
}
