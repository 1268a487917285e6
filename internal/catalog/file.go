package catalog

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"modernc.org/sqlite"
)

// ErrUnavailable is returned while the database file being served is
// missing from its path (removed, or between a removal and the move of its
// replacement): the site answers 503 rather than serving an empty catalog.
var ErrUnavailable = errors.New("database unavailable")

// fileURI is the SQLite URI of the database at path: absolute, and with
// every byte that is not plainly part of a path escaped, so that a # or ?
// in a file name names the file rather than starting a query (a#b.db once
// wrote "a").
func fileURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("file:")
	for i := 0; i < len(abs); i++ {
		c := abs[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '/', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String(), nil
}

// servedFile follows the database file at a path while it is served. A
// deployment replaces the database by moving a new file into place; the
// file at the path is then another one (os.SameFile), and every connection
// to the old one is retired as it comes back to the pool (Validator),
// while queries under way finish on the file they started on.
type servedFile struct {
	path string
	gen  atomic.Uint64 // moves each time the file at path changes

	mu      sync.Mutex
	info    os.FileInfo // nil while no file is at path
	checked bool
}

// check looks at the file at the path now and returns the generation of
// what it found, and whether a file is there.
func (f *servedFile) check() (uint64, bool) {
	info, err := os.Stat(f.path)
	if err != nil {
		info = nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	same := f.checked && ((info == nil && f.info == nil) || (info != nil && f.info != nil && os.SameFile(info, f.info)))
	if !same {
		f.info, f.checked = info, true
		f.gen.Add(1)
	}
	return f.gen.Load(), info != nil
}

// connector opens read-only connections to the served file, each tagged
// with the generation of the file it opened.
type connector struct {
	file *servedFile
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	for range 3 {
		gen, ok := c.file.check()
		if !ok {
			return nil, fmt.Errorf("catalog: %s: no file: %w", c.file.path, ErrUnavailable)
		}
		dsn, err := servingDSN(c.file.path)
		if err != nil {
			return nil, err
		}
		base, err := sqlite.NewConnector(dsn)
		if err != nil {
			return nil, err
		}
		conn, err := base.Connect(ctx)
		if err != nil {
			if _, ok := c.file.check(); !ok {
				return nil, fmt.Errorf("catalog: %s: no file: %w", c.file.path, ErrUnavailable)
			}
			return nil, err
		}
		// Opened while the file was being replaced: which one it opened
		// is not known, so open again.
		if again, _ := c.file.check(); again != gen {
			conn.Close()
			continue
		}
		return &genConn{Conn: conn, gen: gen, file: c.file}, nil
	}
	return nil, fmt.Errorf("catalog: %s keeps changing: %w", c.file.path, ErrUnavailable)
}

func (c *connector) Driver() driver.Driver { return &sqlite.Driver{} }

// servingDSN is the driver's name for a read-only connection to the
// database at path. mode=ro never creates a file. In a directory the
// server cannot write (a read-only volume, a root-owned mount) SQLite
// cannot make the WAL's shared-memory file, so a database without one is
// opened immutable: nothing can change it in place there, and a
// replacement moved into place is still noticed by its inode.
func servingDSN(path string) (string, error) {
	uri, err := fileURI(path)
	if err != nil {
		return "", err
	}
	uri += "?mode=ro"
	if !writable(filepath.Dir(path)) {
		if _, err := os.Stat(path + "-shm"); err != nil {
			uri += "&immutable=1"
		}
	}
	return uri + "&_pragma=busy_timeout(10000)&_pragma=query_only(ON)", nil
}

// genConn is a connection to one generation of the served file. It
// forwards every optional interface of the driver's connections.
type genConn struct {
	driver.Conn
	gen  uint64
	file *servedFile
}

func (c *genConn) current() bool { return c.file.gen.Load() == c.gen }

// Unwrap returns the driver's connection.
func (c *genConn) Unwrap() driver.Conn { return c.Conn }

// IsValid retires the connection when the file it reads has been
// replaced or removed.
func (c *genConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok && !v.IsValid() {
		return false
	}
	return c.current()
}

// ResetSession refuses an idle connection to a replaced file before it is
// used again, so database/sql opens one to the new file.
func (c *genConn) ResetSession(ctx context.Context) error {
	if !c.current() {
		return driver.ErrBadConn
	}
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *genConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *genConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *genConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *genConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c *genConn) Ping(ctx context.Context) error {
	if !c.current() {
		return driver.ErrBadConn
	}
	return c.Conn.(driver.Pinger).Ping(ctx)
}
