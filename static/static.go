// Package static embeds the site's CSS, JavaScript and icons and serves
// each under a content-hashed URL, so browsers may cache it for a year.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/transcripts/site/internal/httpgzip"
)

//go:embed *.css *.js *.svg
var files embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

type asset struct {
	name string // original file name, for its content type
	body []byte
	gz   []byte // body gzipped once, or nil when not worth it
	etag string
}

// Assets maps original file names to hashed URLs and serves them.
type Assets struct {
	urls   map[string]string // "site.css" → "/static/site.1a2b3c4d5e.css"
	hashed map[string]asset  // "site.1a2b3c4d5e.css" → the file
}

// Load hashes every embedded file.
func Load() (*Assets, error) {
	a := &Assets{urls: map[string]string{}, hashed: map[string]asset{}}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + h + ext
		a.urls[p] = Prefix + hashed
		a.hashed[hashed] = asset{name: p, body: body, gz: httpgzip.Compress(body), etag: `"` + h + `"`}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	return a, nil
}

// URL returns the hashed URL of an embedded file. It panics on a name that
// is not embedded: that is a programming error caught by any test.
func (a *Assets) URL(name string) string {
	u, ok := a.urls[name]
	if !ok {
		panic("static: no asset " + name)
	}
	return u
}

// Lookup returns the handler for a hashed file name, or false.
func (a *Assets) Lookup(hashed string) (http.Handler, bool) {
	f, ok := a.hashed[hashed]
	if !ok {
		return nil, false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("Vary", "Accept-Encoding")
		body := f.body
		if f.gz != nil && httpgzip.Accepts(r.Header.Get("Accept-Encoding")) {
			body = f.gz
			h.Set("Content-Encoding", "gzip")
			h.Set("ETag", `"`+strings.Trim(f.etag, `"`)+`-gz"`)
			h.Set("Content-Type", mime.TypeByExtension(path.Ext(f.name)))
		} else {
			h.Set("ETag", f.etag)
		}
		// ServeContent answers If-None-Match with 304 and handles HEAD.
		http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(body))
	}), true
}
