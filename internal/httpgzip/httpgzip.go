// Package httpgzip gzips whole response bodies (cached pages, static
// files, a page sent once) and reads whether a request accepts gzip. The
// server's page cache and the static files both use it: it lives apart so
// that neither depends on the other.
package httpgzip

import (
	"bytes"
	"compress/gzip"
	"strings"
	"sync"
)

// MinCompress is the smallest body worth compressing: below it the gzip
// header and the work cost more than they save.
const MinCompress = 1024

// Compressors are reused: each holds about 800 KB of tables, which would
// otherwise be allocated and cleared for every response.
var (
	gzipWriters     = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}
	fastGzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // a valid level: no error
		return zw
	}}
)

// Compress returns body gzipped at the default level, for a body sent many
// times (a cached page, a static file), or nil when it is too small to be
// worth it or would not shrink.
func Compress(body []byte) []byte { return compress(&gzipWriters, body) }

// CompressFast is Compress at gzip's fastest level (about twice as fast,
// a tenth larger), for a body sent once.
func CompressFast(body []byte) []byte { return compress(&fastGzipWriters, body) }

func compress(pool *sync.Pool, body []byte) []byte {
	if len(body) < MinCompress {
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(len(body) / 3)
	zw := pool.Get().(*gzip.Writer)
	defer pool.Put(zw)
	zw.Reset(&buf)
	// Writing to a bytes.Buffer cannot fail.
	zw.Write(body)
	zw.Close()
	if buf.Len() >= len(body) {
		return nil
	}
	return buf.Bytes()
}

// Accepts reports whether an Accept-Encoding header allows gzip.
func Accepts(acceptEncoding string) bool {
	for part := range strings.SplitSeq(acceptEncoding, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
