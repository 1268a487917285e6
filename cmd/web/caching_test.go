package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/ingest"
)

func (a *testApp) request(t *testing.T, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec
}

func TestConditionalRequests(t *testing.T) {
	app := newTestApp(t)
	for _, target := range []string{"/", "/videos/MpdbFLXOOIw", "/search?q=augment", "/search.json?q=augment", "/videos/MpdbFLXOOIw.srt", "/about"} {
		first := app.request(t, target, nil)
		etag, modified := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
		if first.Code != http.StatusOK || etag == "" || modified == "" || !strings.Contains(first.Header().Get("Cache-Control"), "max-age=") {
			t.Fatalf("%s: %d, ETag %q, Last-Modified %q, Cache-Control %q", target, first.Code, etag, modified, first.Header().Get("Cache-Control"))
		}
		if again := app.request(t, target, map[string]string{"If-None-Match": etag}); again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Errorf("%s with its ETag: %d", target, again.Code)
		}
		if again := app.request(t, target, map[string]string{"If-Modified-Since": modified}); again.Code != http.StatusNotModified {
			t.Errorf("%s with If-Modified-Since: %d", target, again.Code)
		}
		if other := app.request(t, target, map[string]string{"If-None-Match": `W/"0-old"`}); other.Code != http.StatusOK {
			t.Errorf("%s with another ETag: %d", target, other.Code)
		}
	}
	search := app.request(t, "/search?q=augment", nil).Header().Get("Cache-Control")
	page := app.request(t, "/", nil).Header().Get("Cache-Control")
	if search != "public, max-age=60" || page != "public, max-age=300" {
		t.Errorf("Cache-Control: search %q, pages %q", search, page)
	}
	if cc := app.request(t, "/videos/nopenopenop", nil).Header(); cc.Get("Cache-Control") != "no-store" || cc.Get("ETag") != "" {
		t.Errorf("a 404 carries %q, ETag %q", cc.Get("Cache-Control"), cc.Get("ETag"))
	}
	if cc := app.request(t, "/?page=9", nil).Header(); cc.Get("Cache-Control") != "no-store" || cc.Get("ETag") != "" {
		t.Errorf("a page past the catalog's end carries %q, ETag %q", cc.Get("Cache-Control"), cc.Get("ETag"))
	}
	if cc := app.request(t, "/healthz", nil).Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("healthz Cache-Control %q", cc)
	}
}

func TestImportInvalidatesCachedPages(t *testing.T) {
	app := newTestApp(t)
	before := app.request(t, "/search?q=zanzibar", nil)
	if !strings.Contains(before.Body.String(), "Nothing matched") {
		t.Fatal("zanzibar found before the import")
	}
	etag := before.Header().Get("ETag")
	if _, err := app.catalog.Import(context.Background(), ingest.JSONLines(strings.NewReader(row("zanzibar_01", 0, 10, "off to zanzibar", "Travel")), "new.jsonl"), catalog.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	after := app.request(t, "/search?q=zanzibar", map[string]string{"If-None-Match": etag})
	if after.Code != http.StatusOK || !strings.Contains(after.Body.String(), "1 moment") || after.Header().Get("ETag") == etag {
		t.Errorf("after the import: %d, ETag %q (was %q)", after.Code, after.Header().Get("ETag"), etag)
	}
}

func TestCompression(t *testing.T) {
	app := newTestApp(t)
	plain := app.request(t, "/videos/MpdbFLXOOIw", nil)
	for _, ae := range []string{"gzip", "br, gzip;q=0.8", "deflate, gzip"} {
		zipped := app.request(t, "/videos/MpdbFLXOOIw", map[string]string{"Accept-Encoding": ae})
		if zipped.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
			t.Fatalf("Accept-Encoding %q: Content-Encoding %q, Vary %q", ae, zipped.Header().Get("Content-Encoding"), zipped.Header().Get("Vary"))
		}
		zr, err := gzip.NewReader(zipped.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(zr)
		if !bytes.Equal(body, plain.Body.Bytes()) || zipped.Body.Len() >= plain.Body.Len()/2 {
			t.Errorf("gzip body: %d bytes for %d, same content %v", zipped.Body.Len(), plain.Body.Len(), bytes.Equal(body, plain.Body.Bytes()))
		}
	}
	for _, ae := range []string{"", "identity", "gzip;q=0", "br"} {
		if got := app.request(t, "/videos/MpdbFLXOOIw", map[string]string{"Accept-Encoding": ae}).Header().Get("Content-Encoding"); got != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", ae, got)
		}
	}
	// Static assets are compressed once too.
	css := app.server.assets.URL("site.css")
	plainCSS := app.request(t, css, nil)
	zippedCSS := app.request(t, css, map[string]string{"Accept-Encoding": "gzip"})
	if zippedCSS.Header().Get("Content-Encoding") != "gzip" || zippedCSS.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("css: Content-Encoding %q", zippedCSS.Header().Get("Content-Encoding"))
	} else if zr, err := gzip.NewReader(zippedCSS.Body); err != nil {
		t.Error(err)
	} else if body, _ := io.ReadAll(zr); !bytes.Equal(body, plainCSS.Body.Bytes()) || !strings.HasPrefix(zippedCSS.Header().Get("Content-Type"), "text/css") {
		t.Errorf("css: gzip body differs or type %q", zippedCSS.Header().Get("Content-Type"))
	}
	// A tiny response is not worth compressing.
	if got := app.request(t, "/robots.txt", map[string]string{"Accept-Encoding": "gzip"}).Header().Get("Content-Encoding"); got != "" {
		t.Errorf("robots.txt compressed")
	}
}

func TestCachedPageIsServedFromMemory(t *testing.T) {
	app := newTestApp(t)
	first := app.request(t, "/videos/MpdbFLXOOIw", nil)
	// A change that does not move the version is not seen: the page comes
	// from memory. Moving the version shows it.
	app.exec(t, `UPDATE videos SET title = 'Renamed behind the cache' WHERE video_id = 'MpdbFLXOOIw'`)
	second := app.request(t, "/videos/MpdbFLXOOIw", nil)
	if !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) || app.server.pages.Len() == 0 {
		t.Error("the page was rendered again")
	}
	app.exec(t, `UPDATE catalog_version SET version = version + 1`)
	if third := app.request(t, "/videos/MpdbFLXOOIw", nil); !strings.Contains(third.Body.String(), "Renamed behind the cache") {
		t.Error("a new version still served the old page")
	}
}

func TestVersionIsTrustedForItsTTL(t *testing.T) {
	reads := 0
	vc := &versionCache{ttl: time.Hour, build: "b1", read: func(context.Context) (catalog.Version, error) {
		reads++
		return catalog.Version{N: int64(reads)}, nil
	}}
	for range 3 {
		if v, _ := vc.get(context.Background()); v.N != 1 {
			t.Errorf("version %d within the TTL", v.N)
		}
	}
	vc.ttl = 0
	v, _ := vc.get(context.Background())
	if v.N != 2 {
		t.Errorf("version %d after the TTL, want it read again", v.N)
	}
	// The validators are made once per version.
	if want := `W/"2-` + vc.build + `"`; v.etag != want || v.lastModified == "" {
		t.Errorf("etag %q, last modified %q; want %s", v.etag, v.lastModified, want)
	}
}

// TestCacheHitsAreSentAsTheFirstTime: a page answered from the cache,
// ahead of the router and middleware, carries the same headers as when it
// was made (security headers, validators, type), gzipped or not as asked,
// answers HEAD without a body and a current copy with a 304.
func TestCacheHitsAreSentAsTheFirstTime(t *testing.T) {
	app := newTestApp(t)
	routed := 0 // requests that reached the application
	app.echo.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			routed++
			return next(c)
		}
	})
	for _, target := range []string{"/", "/search?q=augment", "/videos/MpdbFLXOOIw.srt", "/search.json?q=augment"} {
		routed = 0
		first := app.request(t, target, nil)
		if app.server.pages.Len() == 0 {
			t.Fatalf("%s was not kept", target)
		}
		hit := app.request(t, target, nil)
		for _, h := range []http.Header{first.Header(), hit.Header()} {
			h.Del("Date")
		}
		if !reflect.DeepEqual(first.Header(), hit.Header()) || hit.Body.String() != first.Body.String() {
			t.Errorf("%s from the cache:\n%v\nfirst sent:\n%v", target, hit.Header(), first.Header())
		}
		if hit.Header().Get("Content-Security-Policy") == "" || hit.Header().Get("Content-Length") != strconv.Itoa(first.Body.Len()) {
			t.Errorf("%s: CSP %q, Content-Length %q for %d bytes", target, hit.Header().Get("Content-Security-Policy"), hit.Header().Get("Content-Length"), first.Body.Len())
		}

		gz := app.request(t, target, map[string]string{"Accept-Encoding": "gzip"})
		if gz.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(gz.Body)
			if err != nil {
				t.Fatal(err)
			}
			if body, _ := io.ReadAll(zr); string(body) != first.Body.String() {
				t.Errorf("%s: gzipped hit differs", target)
			}
		} else if first.Body.Len() > 1024 {
			t.Errorf("%s: %d bytes sent uncompressed to a reader who takes gzip", target, first.Body.Len())
		}

		req := httptest.NewRequest(http.MethodHead, target, nil)
		head := httptest.NewRecorder()
		app.handler.ServeHTTP(head, req)
		if head.Code != http.StatusOK || head.Header().Get("Content-Length") != strconv.Itoa(first.Body.Len()) {
			t.Errorf("HEAD %s: %d, Content-Length %q", target, head.Code, head.Header().Get("Content-Length"))
		}

		current := app.request(t, target, map[string]string{"If-None-Match": first.Header().Get("ETag")})
		if current.Code != http.StatusNotModified || current.Body.Len() != 0 || current.Header().Get("ETag") == "" || current.Header().Get("Content-Type") != "" {
			t.Errorf("%s with its ETag: %d, %d bytes, ETag %q, type %q", target, current.Code, current.Body.Len(), current.Header().Get("ETag"), current.Header().Get("Content-Type"))
		}
		if routed != 1 {
			t.Errorf("%s: %d requests reached the application, want only the first", target, routed)
		}
	}
}
