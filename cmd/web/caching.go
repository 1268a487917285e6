package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/httpgzip"
	"github.com/transcripts/site/internal/pagecache"
)

// Cache lifetimes: results may change with the next import, so browsers
// keep pages briefly and then revalidate (a 304 is cheap).
const (
	maxAgePages  = 300
	maxAgeSearch = 60
	// maxCachedBody keeps one huge transcript from pushing out many pages.
	maxCachedBody = 2 << 20
)

// versionTTL is how long the server trusts the catalog version it read:
// a page is at most this much late to show an import, and a cached page
// costs no query at all (cached video pages: 6,500 → 10,800 req/s).
const versionTTL = time.Second

// stamp is the catalog version as pages carry it: the validators are
// formatted once per version, not per response.
type stamp struct {
	catalog.Version
	etag         string // weak: the version and the server's build
	lastModified string
}

// versionCache remembers the catalog version for ttl. The database is
// read without the lock held: while one request reads it, the others go on
// with the version they had (a second late at most), rather than queueing
// behind a read that waits for a busy pool.
type versionCache struct {
	read func(context.Context) (catalog.Version, error)
	ttl  time.Duration
	// build names the server's program in ETags: a deploy may change any
	// page, and every node running the same program over the same
	// catalog gives a page the same ETag (buildID).
	build string

	mu         sync.Mutex
	stamp      stamp
	at         time.Time
	refreshing bool // a read is under way
}

func (vc *versionCache) get(ctx context.Context) (stamp, error) {
	vc.mu.Lock()
	if time.Since(vc.at) < vc.ttl || (vc.refreshing && vc.stamp.etag != "") {
		st := vc.stamp
		vc.mu.Unlock()
		return st, nil
	}
	vc.refreshing = true
	vc.mu.Unlock()

	v, err := vc.read(ctx)

	vc.mu.Lock()
	defer vc.mu.Unlock()
	vc.refreshing = false
	if err != nil {
		return stamp{}, err
	}
	if v != vc.stamp.Version || vc.stamp.etag == "" {
		vc.stamp = stamp{
			Version: v,
			// N names the content: every change sets it to at least the
			// time in microseconds, so files built apart differ and a copy
			// of a file, on another node, agrees.
			etag: `W/"` + strconv.FormatInt(v.N, 10) + "-" + vc.build + `"`,
			// Last-Modified has one-second resolution.
			lastModified: v.ChangedAt.UTC().Format(http.TimeFormat),
		}
	}
	vc.at = time.Now()
	return vc.stamp, nil
}

// buildID names the running program and the settings its pages depend
// on: the first 12 hex digits of the SHA-256 of its executable (the
// running one, /proc/self/exe, even if the file at its path was replaced
// since) and of settings. Every node running the same binary with the
// same settings gives a page the same ETag; a deploy or a changed setting
// changes them all. When the executable cannot be read, the start time
// (ETags then differ between nodes, which costs a revalidation, never a
// stale page).
func buildID(settings ...string) string {
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		exe, xerr := os.Executable()
		if xerr != nil {
			return strconv.FormatInt(time.Now().UnixNano(), 36)
		}
		if f, err = os.Open(exe); err != nil {
			return strconv.FormatInt(time.Now().UnixNano(), 36)
		}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	for _, s := range settings {
		fmt.Fprintf(h, "\x00%s", s)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// captureWriter records a handler's response instead of sending it.
type captureWriter struct {
	header http.Header
	status int
	body   []byte
}

func (w *captureWriter) Header() http.Header { return w.header }
func (w *captureWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body = append(w.body, b...)
	return len(b), nil
}

// pageKey is where the page cache keeps the response to r under catalog
// version v: absolute links in pages follow the request's origin unless
// the site's is configured.
func (s *server) pageKey(v stamp, r *http.Request) string {
	return strconv.FormatInt(v.N, 10) + "." + strconv.FormatUint(v.File, 10) + "|" + s.origin(r) + "|" + r.URL.RequestURI()
}

// fromCache answers a GET or HEAD for a page the cache holds, or a 304 for
// it, before any routing or middleware: a page is kept with every header
// it was first sent with, security headers included, so a reload or a
// popular page costs a map lookup. Everything else goes to next.
func (s *server) fromCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if v, err := s.version.get(r.Context()); err == nil {
				if page, ok := s.pages.Get(s.pageKey(v, r)); ok {
					send(w, r, page, v)
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// cached runs the handler of a page the cache does not hold (fromCache
// answers the others), keeps its response if it is a 200, and sends it
// (or a 304 for it).
// Every response carries validators of the catalog's version (ETag,
// Last-Modified), so browsers revalidate with a 304, and is sent gzipped
// when the browser accepts it and it is worth it.
func (s *server) cached(maxAge int) echo.MiddlewareFunc {
	cacheControl := "public, max-age=" + strconv.Itoa(maxAge)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			v, err := s.version.get(req.Context())
			if err != nil {
				return err
			}
			h := c.Response().Header()
			h.Set("ETag", v.etag)
			h.Set("Last-Modified", v.lastModified)
			h.Set("Cache-Control", cacheControl)
			h.Add("Vary", "Accept-Encoding")
			// No 304 before the handler has run: the validators are the
			// whole site's, and only a page that exists (a 200) is what a
			// reader's copy can be a copy of. send answers the 304.
			key := s.pageKey(v, req)
			orig := c.Response()
			w := &captureWriter{header: http.Header{}}
			c.SetResponse(echo.NewResponse(w, c.Echo()))
			err = next(c)
			c.SetResponse(orig)
			if err != nil {
				return err
			}
			// The page keeps the headers set so far (security, validators,
			// CORS) and the handler's own.
			page := &pagecache.Page{Status: w.status, Header: h.Clone(), Body: w.body}
			for _, name := range []string{echo.HeaderContentType, echo.HeaderContentDisposition} {
				if v := w.header.Get(name); v != "" {
					page.Header.Set(name, v)
				}
			}
			if page.Status != http.StatusOK {
				// A 404 or 503 page: not what the validators describe.
				page.Header.Del("ETag")
				page.Header.Del("Last-Modified")
				page.Header.Set("Cache-Control", "no-store")
			}
			if page.Status == http.StatusOK && len(page.Body) <= maxCachedBody && s.pages.Fits(page) {
				page.Gzip = httpgzip.Compress(page.Body)
				s.pages.Put(key, page)
			} else if httpgzip.Accepts(req.Header.Get(echo.HeaderAcceptEncoding)) {
				// A page not kept is compressed only for a reader who takes
				// gzip, and quickly: it is sent once.
				page.Gzip = httpgzip.CompressFast(page.Body)
			}
			send(c.Response(), req, page, v)
			return nil
		}
	}
}

// send writes page in answer to r: a 304 when the reader's copy of it is
// current, else the body, gzipped when the reader takes it. The page's
// header values are shared, never changed.
func send(w http.ResponseWriter, r *http.Request, page *pagecache.Page, v stamp) {
	h := w.Header()
	if page.Status != http.StatusOK { // validators set before the page was made
		h.Del("ETag")
		h.Del("Last-Modified")
	}
	for name, values := range page.Header {
		h[name] = values
	}
	if page.Status == http.StatusOK && notModified(r, v.etag, v.ChangedAt) {
		h.Del(echo.HeaderContentType)
		h.Del(echo.HeaderContentDisposition)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := page.Body
	if page.Gzip != nil && httpgzip.Accepts(r.Header.Get(echo.HeaderAcceptEncoding)) {
		h.Set(echo.HeaderContentEncoding, "gzip")
		body = page.Gzip
	}
	// With its length known, net/http sends the body as it is rather than
	// in chunks.
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	w.WriteHeader(page.Status)
	w.Write(body) // a write error is the reader gone: nothing to tell
}

// notModified reports whether the browser's copy is current: its ETag
// matches, or (without one) it is no older than the catalog.
func notModified(req *http.Request, etag string, changed time.Time) bool {
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		for tag := range strings.SplitSeq(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := req.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !changed.Truncate(time.Second).After(t)
	}
	return false
}
