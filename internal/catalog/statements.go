package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"sync"
)

// maxStatements bounds the statements an Index keeps prepared. No query
// text of the index is built from a value (a list of ids travels as one
// JSON argument, read with json_each), so the set is finite: about 150
// texts with every combination of filters and of how each is read
// (filterSQL). The bound guards against a query built from its arguments;
// a text past it runs unprepared.
const maxStatements = 256

// statements prepares each query text once and reuses it: database/sql
// keeps one prepared copy per connection of the pool. Parsing and
// planning an FTS5 query costs more than running it for a rare word.
type statements struct {
	db       *sql.DB
	mu       sync.Mutex
	prepared map[string]*sql.Stmt
}

// get returns the prepared statement for query, preparing it on first use,
// or nil when the bound is reached.
func (s *statements) get(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	st, ok := s.prepared[query]
	full := len(s.prepared) >= maxStatements
	s.mu.Unlock()
	if ok || full {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.prepared[query]; ok { // prepared meanwhile by another search
		st.Close()
		return prev, nil
	}
	if s.prepared == nil {
		s.prepared = map[string]*sql.Stmt{}
	}
	s.prepared[query] = st
	return st, nil
}

// len returns the number of statements prepared.
func (s *statements) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.prepared)
}

// query runs a query of the index through its prepared statement.
func (x *Index) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := x.stmts.get(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return x.c.db.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a query of one row and scans it into dest; no row is
// sql.ErrNoRows.
func (x *Index) queryRow(ctx context.Context, query string, args []any, dest ...any) error {
	st, err := x.stmts.get(ctx, query)
	if err != nil {
		return err
	}
	if st == nil {
		return x.c.db.QueryRowContext(ctx, query, args...).Scan(dest...)
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

// jsonIDs is a JSON array of ids, one argument for json_each.
func jsonIDs(ids []int64) string {
	b := []byte{'['}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// jsonStrings is a JSON array of strings, one argument for json_each.
func jsonStrings(s []string) string {
	b, err := json.Marshal(s)
	if err != nil { // strings always marshal
		panic(err)
	}
	return string(b)
}
