// Package pgtest starts throwaway PostgreSQL servers for tests: each cluster
// is made by initdb in a new temp directory, listens on a free loopback port,
// trusts every local connection, and is stopped and removed when the test
// ends, so that plain `go test ./...` works on any machine with the Debian
// package postgresql installed. Settings favour speed over durability
// (fsync off); wal_level is replica, so a cluster can have streaming
// replicas.
//
// The binaries are taken from $PG_BIN when set, else from the newest
// /usr/lib/postgresql/*/bin, else from the directory of initdb on $PATH.
// initdb and postgres refuse to run as root: as root, the server programs
// are run as the postgres OS user through runuser, and the temp directories
// are given to that user.
//
// A package whose tests share one cluster starts it in TestMain (Main):
//
//	var cluster *pgtest.Cluster // nil without PostgreSQL: the tests skip
//
//	func TestMain(m *testing.M) {
//		os.Exit(pgtest.Main(m, func(c *pgtest.Cluster) { cluster = c }))
//	}
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// ErrNoPostgres is returned (wrapped) when the PostgreSQL binaries are not
// found.
var ErrNoPostgres = errors.New("pgtest: PostgreSQL binaries not found: install the Debian package postgresql, or set PG_BIN to the directory holding initdb")

// programs are the binaries a cluster needs, all in one directory.
var programs = []string{"initdb", "pg_ctl", "postgres", "pg_basebackup", "psql"}

// commandTimeout bounds every command this package runs.
const commandTimeout = 2 * time.Minute

// Cluster is a PostgreSQL server started for tests.
type Cluster struct {
	env  *env
	base string // temp directory holding data, sock, server.log and owner
	data string // data directory
	sock string // unix socket directory
	log  string // server log
	port int

	stopOnce sync.Once
	stopped  atomic.Bool
}

// env is what every cluster of the process shares.
type env struct {
	bin      string // directory of the PostgreSQL programs
	runuser  string // path of runuser when the server programs run as postgres, else ""
	uid, gid int    // of the postgres OS user, when runuser is set
	root     string // parent of the clusters' temp directories
}

var setup = sync.OnceValues(func() (*env, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	e := &env{bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("pgtest: running as root, so the server must run as the postgres OS user: %w", err)
		}
		e.uid, _ = strconv.Atoi(u.Uid)
		e.gid, _ = strconv.Atoi(u.Gid)
		if e.runuser, err = exec.LookPath("runuser"); err != nil {
			return nil, fmt.Errorf("pgtest: running as root, so the server must run as postgres through runuser: %w", err)
		}
	}
	e.root = tempRoot(e.runuser != "")
	e.sweep()
	return e, nil
})

// findBin returns the directory of the PostgreSQL programs.
func findBin() (string, error) {
	if dir := os.Getenv("PG_BIN"); dir != "" {
		if err := hasPrograms(dir); err != nil {
			return "", fmt.Errorf("%w (PG_BIN=%s: %v)", ErrNoPostgres, dir, err)
		}
		return dir, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Newest version first: 15 before 9.6.
	slices.SortFunc(dirs, func(a, b string) int { return slices.Compare(versionOf(b), versionOf(a)) })
	for _, dir := range dirs {
		if hasPrograms(dir) == nil {
			return dir, nil
		}
	}
	if initdb, err := exec.LookPath("initdb"); err == nil {
		if dir := filepath.Dir(initdb); hasPrograms(dir) == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w (looked in /usr/lib/postgresql/*/bin and $PATH)", ErrNoPostgres)
}

// versionOf returns the version in a path like /usr/lib/postgresql/15/bin.
func versionOf(bin string) []int {
	var v []int
	for part := range strings.SplitSeq(filepath.Base(filepath.Dir(bin)), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil
		}
		v = append(v, n)
	}
	return v
}

// hasPrograms reports which needed program, if any, dir lacks.
func hasPrograms(dir string) error {
	for _, name := range programs {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return fmt.Errorf("%s is not an executable file", filepath.Join(dir, name))
		}
	}
	return nil
}

// tempRoot returns the directory for the clusters' temp directories:
// os.TempDir, unless the postgres user could not reach it or a socket path
// in it would pass the 107-byte limit, then /tmp.
func tempRoot(asPostgres bool) string {
	dir := os.TempDir()
	if runtime.GOOS == "windows" {
		return dir
	}
	if len(dir) > 60 || (asPostgres && !traversable(dir)) {
		return "/tmp"
	}
	return dir
}

// traversable reports whether every directory from dir up to / can be
// searched by any user.
func traversable(dir string) bool {
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return false
	}
	for {
		fi, err := os.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return true
		}
		dir = parent
	}
}

// sweep stops and removes the clusters left behind by test processes that
// died before their cleanup ran (a -timeout panic, an interrupt): each temp
// directory names its owner process in a file.
func (e *env) sweep() {
	if runtime.GOOS == "windows" {
		return
	}
	dirs, _ := filepath.Glob(filepath.Join(e.root, "pgtest-*"))
	for _, base := range dirs {
		b, err := os.ReadFile(filepath.Join(base, "owner"))
		if err != nil {
			continue // not ours, or not yet written
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid == os.Getpid() || !processGone(pid) {
			continue
		}
		c := &Cluster{env: e, base: base, data: filepath.Join(base, "data")}
		if _, err := os.Stat(filepath.Join(c.data, "postmaster.pid")); err == nil {
			c.run("pg_ctl", "stop", "-D", c.data, "-m", "immediate", "-w", "-t", "30")
		}
		os.RemoveAll(base)
	}
}

// processGone reports whether process pid surely no longer exists.
func processGone(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)
}

// Start initialises and starts a cluster in a new temp directory on a free
// 127.0.0.1 port, stopped and removed by t.Cleanup. When the PostgreSQL
// binaries are missing it skips the test, naming the Debian package
// postgresql, unless the environment variable CI is set: then the test
// fails.
func Start(t testing.TB) *Cluster {
	t.Helper()
	c, err := start()
	if err != nil {
		if errors.Is(err, ErrNoPostgres) && os.Getenv("CI") == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// StartMain is Start for TestMain: it returns the cluster and the function
// that stops it, or an error wrapping ErrNoPostgres when the binaries are
// missing, for the caller to skip or fail (by CI). On error the stop
// function does nothing.
func StartMain() (*Cluster, func(), error) {
	c, err := start()
	if err != nil {
		return nil, func() {}, err
	}
	return c, c.Stop, nil
}

// Main runs a package's tests (m.Run) with one cluster they share,
// passed to run before them; run gets nil when PostgreSQL is not installed
// and CI is unset (the tests that need it skip, saying so). In CI a
// missing PostgreSQL fails the package. It returns m.Run's exit code:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, func(c *pgtest.Cluster) { cluster = c })) }
func Main(m *testing.M, run func(*Cluster)) int {
	c, stop, err := StartMain()
	if err != nil && !(errors.Is(err, ErrNoPostgres) && os.Getenv("CI") == "") {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stop()
	run(c)
	return m.Run()
}

func start() (*Cluster, error) {
	c, err := newCluster()
	if err != nil {
		return nil, err
	}
	if err := c.initdb(); err != nil {
		c.Stop()
		return nil, err
	}
	if err := c.serve(); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// newCluster makes the temp directory of a cluster, owned by the user the
// server will run as.
func newCluster() (*Cluster, error) {
	e, err := setup()
	if err != nil {
		return nil, err
	}
	base, err := os.MkdirTemp(e.root, "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	c := &Cluster{
		env:  e,
		base: base,
		data: filepath.Join(base, "data"),
		sock: filepath.Join(base, "sock"),
		log:  filepath.Join(base, "server.log"),
	}
	err = os.WriteFile(filepath.Join(base, "owner"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	if err == nil {
		err = os.Mkdir(c.sock, 0o700)
	}
	if err == nil && e.runuser != "" {
		for _, dir := range []string{base, c.sock} {
			if err = os.Chown(dir, e.uid, e.gid); err != nil {
				break
			}
		}
	}
	if err != nil {
		os.RemoveAll(base)
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	return c, nil
}

// initdb makes the data directory.
func (c *Cluster) initdb() error {
	args := []string{"-D", c.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"}
	err := c.run("initdb", append(args, "--locale=C.UTF-8")...)
	if err == nil {
		return nil
	}
	// Without the C.UTF-8 locale.
	os.RemoveAll(c.data)
	if err2 := c.run("initdb", append(args, "--no-locale")...); err2 != nil {
		return fmt.Errorf("%v\nand with --no-locale instead: %v", err, err2)
	}
	return nil
}

// serve starts the server on a free port. Another process may take the
// port between its choice and the server's bind: then it tries another.
func (c *Cluster) serve() error {
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return fmt.Errorf("pgtest: choosing a port: %w", err)
		}
		c.port = port
		logStart := int64(0)
		if fi, err := os.Stat(c.log); err == nil {
			logStart = fi.Size()
		}
		// Durability is off for speed. With synchronous_commit off, WAL
		// reaches replicas when the WAL writer flushes it: every 200 ms by
		// default, 10 ms here. Each replica takes a WAL sender, and
		// pg_basebackup two while it runs; wal_keep_size keeps the WAL a
		// new replica starts from.
		opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s"+
			" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"+
			" -c wal_level=replica -c max_wal_senders=10 -c wal_keep_size=64MB -c hot_standby=on -c wal_writer_delay=10ms"+
			" -c shared_buffers=128MB",
			port, shellQuote(c.sock))
		err = c.run("pg_ctl", "start", "-w", "-t", "60", "-D", c.data, "-l", c.log, "-o", opts)
		if err == nil {
			return nil
		}
		log := c.logTail(logStart)
		if attempt < 5 && (strings.Contains(log, "Address already in use") || strings.Contains(log, "could not bind")) {
			continue
		}
		return fmt.Errorf("%v\nserver log:\n%s", err, log)
	}
}

// freePort returns a 127.0.0.1 port nothing listened on a moment ago. It is
// a variable for a test of the retry.
var freePort = func() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// logTail returns the last lines the server logged after byte offset from.
func (c *Cluster) logTail(from int64) string {
	b, err := os.ReadFile(c.log)
	if err != nil {
		return fmt.Sprintf("(unreadable: %v)", err)
	}
	if from <= int64(len(b)) {
		b = b[from:]
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > 40 {
		lines = lines[len(lines)-40:]
	}
	return strings.Join(lines, "\n")
}

// shellQuote quotes s for sh, which pg_ctl passes the -o options through.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// run runs a server program (initdb, pg_ctl, pg_basebackup) as the user
// owning the cluster, in the cluster's directory (the postgres user may not
// reach the current one), and returns an error with the command and its
// output.
func (c *Cluster) run(name string, args ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	path := filepath.Join(c.env.bin, name)
	var cmd *exec.Cmd
	if c.env.runuser != "" {
		cmd = exec.CommandContext(ctx, c.env.runuser, append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	cmd.Dir = c.base
	cmd.Env = cleanEnv()
	cmd.WaitDelay = 10 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgtest: %s: %v\n%s", strings.Join(cmd.Args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// cleanEnv returns the environment without the PG variables (PGHOST,
// PGPORT, PGDATA, PGOPTIONS, …), which would redirect or alter the
// commands.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// psql runs sql on database db with psql as the superuser and returns its
// output, unaligned and without headers, trimmed.
func (c *Cluster) psql(db, sql string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(c.env.bin, "psql"),
		"-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", c.URL(db), "-c", sql)
	cmd.Env = cleanEnv()
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("pgtest: psql %s -c %q: %v\n%s", c.URL(db), sql, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return strings.TrimSpace(string(out)), nil
}

// URL is a connection string for database db on the cluster as the
// superuser: postgres://postgres@127.0.0.1:PORT/db?sslmode=disable.
func (c *Cluster) URL(db string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User("postgres"),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port)),
		Path:     "/" + db,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

var databases atomic.Int64

// NewDatabase creates an empty database with a fresh unique name and
// returns its URL; t.Cleanup drops it, closing the connections left open.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	name := databaseName(t.Name(), databases.Add(1))
	if _, err := c.psql("postgres", "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c.stopped.Load() {
			return
		}
		if _, err := c.psql("postgres", "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Error(err)
		}
	})
	return c.URL(name)
}

// databaseName returns a database name made of the test's name, for
// reading the server log, and a sequence number, for uniqueness; it needs
// no quoting.
func databaseName(test string, seq int64) string {
	var b strings.Builder
	for _, r := range strings.ToLower(test) {
		if b.Len() >= 36 {
			break
		}
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	return "test_" + strings.TrimSuffix(b.String(), "_") + "_" + strconv.FormatInt(seq, 10)
}

// Replica starts a streaming hot-standby replica of c: a copy made by
// pg_basebackup into a new temp directory, started on another free port.
// It is read-only; t.Cleanup stops and removes it, before a primary started
// earlier in the same test is stopped.
func (c *Cluster) Replica(t testing.TB) *Cluster {
	t.Helper()
	r, err := c.replica()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Stop)
	return r
}

func (c *Cluster) replica() (*Cluster, error) {
	r, err := newCluster()
	if err != nil {
		return nil, err
	}
	// -R writes standby.signal and primary_conninfo; -c fast does not wait
	// for a spread checkpoint.
	err = r.run("pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "postgres",
		"-D", r.data, "-R", "-X", "stream", "-c", "fast", "--no-sync")
	if err == nil {
		err = r.serve()
	}
	if err != nil {
		r.Stop()
		return nil, err
	}
	return r, nil
}

// Stop stops the server (pg_ctl stop -m fast) and removes its directory;
// calling it again does nothing.
func (c *Cluster) Stop() {
	c.stopOnce.Do(func() {
		c.stopped.Store(true)
		if _, err := os.Stat(filepath.Join(c.data, "postmaster.pid")); err == nil {
			err := c.run("pg_ctl", "stop", "-D", c.data, "-m", "fast", "-w", "-t", "60")
			if err != nil {
				if err2 := c.run("pg_ctl", "stop", "-D", c.data, "-m", "immediate", "-w", "-t", "30"); err2 != nil {
					fmt.Fprintf(os.Stderr, "%v\n%v\n", err, err2)
				}
			}
		}
		if err := os.RemoveAll(c.base); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	})
}
