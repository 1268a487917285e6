package pgtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

func TestCluster(t *testing.T) {
	begin := time.Now()
	c := Start(t)
	t.Logf("Start: %v", time.Since(begin))

	if want := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/x?sslmode=disable", c.port); c.URL("x") != want {
		t.Errorf("URL(x) = %s, want %s", c.URL("x"), want)
	}
	var name string
	t.Run("database", func(t *testing.T) {
		begin := time.Now()
		u := c.NewDatabase(t)
		t.Logf("NewDatabase: %v", time.Since(begin))
		name = dbName(u)
		if got := psql(t, c, name, "SELECT 1"); got != "1" {
			t.Errorf("SELECT 1 = %q", got)
		}
		if got := psql(t, c, name, "SELECT current_database() || ' ' || current_user || ' ' || pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"); got != name+" postgres UTF8" {
			t.Errorf("database, user, encoding = %q", got)
		}
		// The cleanup drops the database even with a connection left open.
		if other := c.NewDatabase(t); other == u {
			t.Errorf("NewDatabase returned %s twice", u)
		}
	})
	if got := psql(t, c, "postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'test_%'"); got != "0" {
		t.Errorf("%s databases left after the subtest's cleanup", got)
	}
	if !strings.HasPrefix(name, "test_testcluster_database_") {
		t.Errorf("database name %q does not name the test", name)
	}
}

func TestExtensions(t *testing.T) {
	c := Start(t)
	db := dbName(c.NewDatabase(t))
	if psql(t, c, db, "SELECT count(*) FROM pg_available_extensions WHERE name = 'unaccent'") != "1" {
		t.Skip("unaccent is not installed (Debian: postgresql-contrib)")
	}
	psql(t, c, db, "CREATE EXTENSION unaccent")
	if got := psql(t, c, db, "SELECT unaccent('Hôtel Crème brûlée')"); got != "Hotel Creme brulee" {
		t.Errorf("unaccent = %q", got)
	}
}

func TestReplica(t *testing.T) {
	c := Start(t)
	begin := time.Now()
	r := c.Replica(t)
	t.Logf("Replica: %v", time.Since(begin))
	if r.port == c.port || r.base == c.base {
		t.Fatalf("replica shares port %d or directory %s with its primary", r.port, r.base)
	}

	// The database is made after the replica: it reaches the replica by WAL.
	db := dbName(c.NewDatabase(t))
	psql(t, c, db, "CREATE TABLE t (v text); INSERT INTO t VALUES ('hello')")
	begin = time.Now()
	for {
		got, err := r.psql(db, "SELECT v FROM t")
		if err == nil && got == "hello" {
			break
		}
		if time.Since(begin) > 10*time.Second {
			t.Fatalf("the replica did not see the row in 10 s: %q, %v", got, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("replication lag: under %v", time.Since(begin))

	if got := psql(t, r, db, "SELECT pg_is_in_recovery()"); got != "t" {
		t.Errorf("replica: pg_is_in_recovery() = %q", got)
	}
	if got := psql(t, c, db, "SELECT pg_is_in_recovery()"); got != "f" {
		t.Errorf("primary: pg_is_in_recovery() = %q", got)
	}
	if _, err := r.psql(db, "INSERT INTO t VALUES ('no')"); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("INSERT on the replica: %v, want a read-only error", err)
	}
}

func TestStartMain(t *testing.T) {
	c, stop, err := StartMain()
	if errors.Is(err, ErrNoPostgres) && os.Getenv("CI") == "" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if got := psql(t, c, "postgres", "SELECT 1"); got != "1" {
		t.Errorf("SELECT 1 = %q", got)
	}
	stop()
	stop()
	if _, err := os.Stat(c.base); !os.IsNotExist(err) {
		t.Errorf("%s after Stop: %v", c.base, err)
	}
	if _, err := c.psql("postgres", "SELECT 1"); err == nil {
		t.Error("the server still answers after Stop")
	}
}

// TestPortTaken checks that Start tries another port when the first one is
// taken before the server binds it, as by another test process.
func TestPortTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	calls := 0
	real := freePort
	freePort = func() (int, error) {
		calls++
		if calls == 1 {
			return taken, nil
		}
		return real()
	}
	defer func() { freePort = real }()

	c := Start(t)
	if c.port == taken || calls != 2 {
		t.Errorf("port %d after %d choices; %d was taken", c.port, calls, taken)
	}
	if got := psql(t, c, "postgres", "SELECT 1"); got != "1" {
		t.Errorf("SELECT 1 = %q", got)
	}
}

func TestDatabaseName(t *testing.T) {
	for _, tt := range []struct {
		test string
		want string
	}{
		{"TestX", "test_testx_7"},
		{"TestX/sub_test#01", "test_testx_sub_test_01_7"},
		{"Test" + strings.Repeat("Long", 30), "test_testlonglonglonglonglonglonglonglong_7"},
	} {
		if got := databaseName(tt.test, 7); got != tt.want {
			t.Errorf("databaseName(%q) = %q, want %q", tt.test, got, tt.want)
		}
	}
}

func psql(t *testing.T, c *Cluster, db, sql string) string {
	t.Helper()
	out, err := c.psql(db, sql)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dbName returns the database named in a URL from NewDatabase.
func dbName(u string) string {
	return u[strings.LastIndex(u, "/")+1 : strings.Index(u, "?")]
}
