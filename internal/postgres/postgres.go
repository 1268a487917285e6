// Package postgres stores the catalog in PostgreSQL: the same videos,
// transcripts and metadata as internal/catalog keeps in SQLite, searched
// with PostgreSQL's full-text search (a tsvector column with a GIN index,
// Snowball stemming, accent folding) behind the same search.Index.
//
// A Store reads from whatever server its URL names, a primary or a
// streaming replica; imports and deletes need the primary. Every import
// and delete is one transaction, so a reader, on the primary or a
// replica, sees the catalog before it or after it, never half of it.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// IsURL reports whether a -db value names a PostgreSQL database rather
// than a SQLite file.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Store is a catalog in a PostgreSQL database. It is safe for concurrent
// use.
type Store struct {
	pool     *pgxpool.Pool
	now      func() time.Time
	existing bool // Existing: refuse a database without a catalog
}

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store read the time of imports from now.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Existing makes Open refuse a database that holds no catalog yet,
// rather than create one in it: for the commands that read or delete, so
// a mistyped database name is an error and not a new empty catalog.
func Existing() Option { return func(s *Store) { s.existing = true } }

// ErrNoCatalog is returned (wrapped) by Open with Existing for a database
// without a catalog.
var ErrNoCatalog = errors.New("holds no catalog: import into it first (web import -db URL FILE)")

// Unavailable reports whether err means the database cannot answer for
// now (not reachable, shutting down, starting, a replica cancelling a
// read that replay conflicts with) rather than that something is wrong:
// the pages answer 503 and try again.
func Unavailable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P") || pe.Code == "40001"
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || pgconn.SafeToRetry(err)
}

// lockImports is the advisory lock every writer holds for its
// transaction: one import or delete at a time, as SQLite's write lock.
const lockImports = 0x7472616e73 // "trans"

// Open connects to the database url names and brings its schema up to
// date (on a primary; a replica's schema is the primary's, and one behind
// is an error naming the fix).
func Open(ctx context.Context, url string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	// Scoring's correlated subqueries make the planner's estimates large
	// enough to compile them with LLVM, which costs 350 ms to save
	// microseconds: no query here runs long enough to gain from JIT.
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{pool: pool, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if err := s.checkLocale(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// checkLocale refuses a database whose text is not UTF-8 or whose
// letters are ASCII only (LC_CTYPE C or POSIX): PostgreSQL would then
// neither fold the case of nor cut words at É, ß or Д, as the SQLite
// backend does.
func (s *Store) checkLocale(ctx context.Context) error {
	var name, encoding, ctype string
	if err := s.pool.QueryRow(ctx, `SELECT datname, pg_encoding_to_char(encoding), datctype FROM pg_database
		WHERE datname = current_database()`).Scan(&name, &encoding, &ctype); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if encoding != "UTF8" || ctype == "C" || ctype == "POSIX" {
		return fmt.Errorf("postgres: database %s has encoding %s and LC_CTYPE %s; transcripts need UTF8 and a UTF-8 locale: createdb -E UTF8 --locale=C.UTF-8 -T template0 %s",
			name, encoding, ctype, name)
	}
	return nil
}

// migrate applies the migrations the database lacks, each in its own
// transaction, holding the import lock so two processes starting at once
// do not both apply one.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrate.Load(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	current, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if current == 0 && s.existing {
		var name string
		if err := s.pool.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		return fmt.Errorf("postgres: database %s %w", name, ErrNoCatalog)
	}
	if current >= ms[len(ms)-1].Version {
		return nil
	}
	var replica bool
	if err := s.pool.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&replica); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if replica {
		return fmt.Errorf("postgres: this server is a replica and its schema is at version %d of %d: run web stats -db with the primary's URL once to bring the primary's up to date", current, ms[len(ms)-1].Version)
	}
	for _, m := range ms {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockImports); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
				return err
			}
			var done bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, m.Version).Scan(&done); err != nil || done {
				return err
			}
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.Version)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.File(), err)
		}
	}
	return nil
}

// SchemaVersion returns the newest migration applied, 0 for an empty
// database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		if err != nil {
			return 0, fmt.Errorf("postgres: schema version: %w", err)
		}
		return 0, nil
	}
	var v int
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: schema version: %w", err)
	}
	return v, nil
}

// Version returns the catalog's current version. On a replica it is the
// version of the last import replayed, so a node reading from one drops
// its cached pages when, and only when, the replica has the new catalog.
func (s *Store) Version(ctx context.Context) (catalog.Version, error) {
	var v catalog.Version
	if err := s.pool.QueryRow(ctx, `SELECT version, changed_at FROM catalog_version WHERE id = 1`).Scan(&v.N, &v.ChangedAt); err != nil {
		return catalog.Version{}, fmt.Errorf("postgres: version: %w", err)
	}
	v.ChangedAt = v.ChangedAt.UTC()
	return v, nil
}

// bumpVersion records, inside the transaction that changes the catalog,
// that it changed; as in the SQLite catalog the version is at least the
// time in microseconds.
func bumpVersion(ctx context.Context, tx pgx.Tx, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE catalog_version SET version = greatest(version + 1, $1), changed_at = $2 WHERE id = 1`,
		now.UnixMicro(), now.UTC().Truncate(time.Second))
	return err
}

// notFound wraps catalog.ErrNotFound, which the pages turn into a 404.
func notFound(what string) error {
	return fmt.Errorf("postgres: %s: %w", what, catalog.ErrNotFound)
}

// noRows reports whether err is a query's lack of a row.
func noRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
