package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
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
	etag         string // weak: the version and this run of the server
	lastModified string
}

// versionCache remembers the catalog version for ttl.
type versionCache struct {
	read  func(context.Context) (catalog.Version, error)
	ttl   time.Duration
	build string // this run of the server, in ETags: a deploy may change any page

	mu    sync.Mutex
	stamp stamp
	at    time.Time
}

func (vc *versionCache) get(ctx context.Context) (stamp, error) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if time.Since(vc.at) < vc.ttl {
		return vc.stamp, nil
	}
	v, err := vc.read(ctx)
	if err != nil {
		return stamp{}, err
	}
	if v != vc.stamp.Version || vc.stamp.etag == "" {
		vc.stamp = stamp{
			Version:      v,
			etag:         `W/"` + strconv.FormatInt(v.N, 10) + "-" + vc.build + `"`,
			lastModified: v.ChangedAt.UTC().Format(http.TimeFormat),
		}
	}
	vc.at = time.Now()
	return vc.stamp, nil
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

// cached serves a GET from the page cache when it can, and otherwise runs
// the handler, keeps its response if it is a 200, and sends it. Every
// response carries validators of the catalog's version (ETag,
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
			if notModified(req, v.etag, v.ChangedAt) {
				return c.NoContent(http.StatusNotModified)
			}

			// Absolute links in pages follow the request's host unless the
			// site's origin is configured.
			key := strconv.FormatInt(v.N, 10) + "|" + s.absolute(c, "") + "|" + req.URL.RequestURI()
			page, ok := s.pages.Get(key)
			if !ok {
				orig := c.Response()
				w := &captureWriter{header: http.Header{}}
				c.SetResponse(echo.NewResponse(w, c.Echo()))
				err := next(c)
				c.SetResponse(orig)
				if err != nil {
					return err
				}
				page = &pagecache.Page{Status: w.status, Header: http.Header{}, Body: w.body}
				kept := false
				for _, name := range []string{echo.HeaderContentType, echo.HeaderContentDisposition} {
					if v := w.header.Get(name); v != "" {
						page.Header.Set(name, v)
					}
				}
				if page.Status == http.StatusOK && len(page.Body) <= maxCachedBody && s.pages.Fits(page) {
					page.Gzip = pagecache.Compress(page.Body)
					s.pages.Put(key, page)
					kept = true
				}
				// A page not kept is compressed only for a reader who takes
				// gzip, and quickly: it is sent once.
				if !kept && pagecache.AcceptsGzip(req.Header.Get(echo.HeaderAcceptEncoding)) {
					page.Gzip = pagecache.CompressFast(page.Body)
				}
			}

			for name, values := range page.Header {
				h[name] = values
			}
			if page.Status != http.StatusOK {
				// A 404 or 503 page: not what the validators describe.
				h.Del("ETag")
				h.Del("Last-Modified")
				h.Set("Cache-Control", "no-store")
			}
			body := page.Body
			if page.Gzip != nil && pagecache.AcceptsGzip(req.Header.Get(echo.HeaderAcceptEncoding)) {
				h.Set(echo.HeaderContentEncoding, "gzip")
				body = page.Gzip
			}
			// With its length known, net/http sends the body as it is
			// rather than in chunks (a third more requests a second for
			// the catalog page).
			h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
			return c.Blob(page.Status, page.Header.Get(echo.HeaderContentType), body)
		}
	}
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
