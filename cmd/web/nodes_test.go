package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/transcripts/site/internal/pgtest"
)

// asWeb, set in a process's environment, makes the test binary run as the
// web program itself: the tests below start real nodes, as separate
// processes they can kill, without building another binary.
const asWeb = "WEB_TEST_RUN_AS_WEB"

// testPostgres, when not nil, is the cluster whose databases the test
// app serves instead of SQLite files: WEB_TEST_BACKEND=postgres runs the
// HTTP suite against the PostgreSQL backend (.ci/run does, beside the
// SQLite run).
var testPostgres *pgtest.Cluster

func TestMain(m *testing.M) {
	if os.Getenv(asWeb) == "1" {
		main()
		os.Exit(0)
	}
	backend := os.Getenv("WEB_TEST_BACKEND")
	if os.Getenv("WEB_HELPER_IMPORT") != "" {
		backend = "" // a helper process (TestHelperImport) serves no test app
	}
	switch backend {
	case "", "sqlite":
	case "postgres":
		c, stop, err := pgtest.StartMain()
		if err != nil {
			fmt.Fprintln(os.Stderr, "WEB_TEST_BACKEND=postgres:", err)
			os.Exit(1)
		}
		testPostgres = c
		code := m.Run()
		stop()
		os.Exit(code)
	default:
		fmt.Fprintf(os.Stderr, "WEB_TEST_BACKEND=%s: want sqlite or postgres\n", backend)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// TestTwoNodesBehindNginx runs two web nodes over one catalog file behind
// Debian's nginx with deploy/nginx.conf, on loopback: both answer a page
// with the same ETag, both pick up a new database file moved into place,
// and when one node is killed in the middle of a load, no request fails
// (nginx retries it on the other).
func TestTwoNodesBehindNginx(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		if nginx, err = exec.LookPath("/usr/sbin/nginx"); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("nginx is not installed, but CI must run this test (.ci/run installs it)")
			}
			t.Skip("nginx not installed (apt-get install nginx-light): skipping the two-node test")
		}
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "transcripts.db")
	if out, err := runCmd(t, "import", "-db", db, "../../data/sample.jsonl"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	a, b := startNode(t, db), startNode(t, db)
	front := freeAddr(t)
	conf := filepath.Join(dir, "nginx.conf")
	tmpl, err := os.ReadFile("../../deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	filled := strings.NewReplacer("@DIR@", dir, "@LISTEN@", front, "@NODE1@", a.addr, "@NODE2@", b.addr).Replace(string(tmpl))
	if err := os.WriteFile(conf, []byte(filled), 0o644); err != nil {
		t.Fatal(err)
	}
	proxy := exec.Command(nginx, "-e", filepath.Join(dir, "error.log"), "-p", dir, "-c", conf, "-g", "daemon off;")
	proxy.Stderr = os.Stderr
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	// SIGTERM, not SIGKILL: the master stops its workers.
	t.Cleanup(func() { proxy.Process.Signal(syscall.SIGTERM); proxy.Wait() })
	waitHealthy(t, front)

	// The same page from either node, or through nginx: the same ETag.
	const page = "/videos/MpdbFLXOOIw"
	etag := sameETag(t, page, a.addr, b.addr, front)

	// A new file moved into place: both nodes serve it, again alike.
	next := filepath.Join(dir, "next.db")
	extra := filepath.Join(dir, "extra.jsonl")
	if err := os.WriteFile(extra, []byte(`{"video_id":"nodesNewVid","text":"a line only the new file holds","start_second":0,"end_second":10,"title":"Moved into place"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, "import", "-db", next, "../../data/sample.jsonl", extra); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if err := os.Rename(next, db); err != nil {
		t.Fatal(err)
	}
	for _, n := range []node{a, b} {
		eventually(t, "node "+n.addr+" to serve the new file", func() bool {
			status, _ := get(t, "http://"+n.addr+"/videos/nodesNewVid")
			return status == http.StatusOK
		})
	}
	if after := sameETag(t, page, a.addr, b.addr, front); after == etag {
		t.Errorf("ETag %s unchanged after a new file was moved into place", after)
	}

	// A load through nginx; one node is killed in its middle.
	urls := []string{"/", page, "/search?q=learning", "/search?q=decision+boundary&group=none", "/videos/nodesNewVid", "/channels"}
	var sent, failed atomic.Int64
	var firstFailure sync.Once
	stop := make(chan struct{})
	var wg sync.WaitGroup
	stopLoad := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopLoad()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				u := "http://" + front + urls[i%len(urls)]
				resp, err := client.Get(u)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				sent.Add(1)
				if err != nil {
					failed.Add(1)
					firstFailure.Do(func() { t.Errorf("GET %s: %v", u, err) })
				}
			}
		}()
	}
	time.Sleep(time.Second)
	before := sent.Load()
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	stopLoad()
	if failed.Load() > 0 || before == 0 || sent.Load() <= before {
		t.Fatalf("%d of %d requests failed (%d before the kill)", failed.Load(), sent.Load(), before)
	}
	t.Logf("%d requests through nginx, %d after one of two nodes was killed, none failed", sent.Load(), sent.Load()-before)
}

// node is a web process serving on addr.
type node struct {
	addr string
	cmd  *exec.Cmd
}

// startNode starts the test binary as a web node serving db, and waits
// until it answers; a node that exits first fails the test with what it
// said.
func startNode(t *testing.T, db string) node {
	t.Helper()
	n := node{addr: freeAddr(t), cmd: exec.Command(os.Args[0])}
	n.cmd.Env = append(os.Environ(), asWeb+"=1", "ADDR="+n.addr, "DB_PATH="+db, "TRUST_PROXY=1")
	var said lockedBuffer
	n.cmd.Stderr = &said
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { n.cmd.Wait(); close(exited) }()
	t.Cleanup(func() { n.cmd.Process.Kill(); <-exited })
	eventually(t, n.addr+" to answer", func() bool {
		select {
		case <-exited:
			t.Fatalf("the node on %s exited: %s", n.addr, said.String())
		default:
		}
		status, _ := get(t, "http://"+n.addr+"/healthz")
		return status == http.StatusOK
	})
	return n
}

// lockedBuffer is a bytes.Buffer safe to write from a process's output
// copier while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr returns a loopback address no one listens on (for a moment).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, addr string) {
	t.Helper()
	eventually(t, addr+" to answer", func() bool {
		status, _ := get(t, "http://"+addr+"/healthz")
		return status == http.StatusOK
	})
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// get returns the status and ETag of a GET of u (0 when it failed).
func get(t *testing.T, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var op *net.OpError
		if !errors.As(err, &op) {
			t.Logf("GET %s: %v", u, err)
		}
		return 0, ""
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("ETag")
}

// sameETag fetches path from each address and returns the ETag they all
// gave.
func sameETag(t *testing.T, path string, addrs ...string) string {
	t.Helper()
	var first string
	for i, addr := range addrs {
		status, etag := get(t, "http://"+addr+path)
		if status != http.StatusOK || etag == "" {
			t.Fatalf("GET %s from %s: status %d, ETag %q", path, addr, status, etag)
		}
		if i == 0 {
			first = etag
		} else if etag != first {
			t.Errorf("GET %s: ETag %s from %s, %s from %s", path, etag, addr, first, addrs[0])
		}
	}
	return first
}
