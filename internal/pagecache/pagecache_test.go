package pagecache

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
	"testing"
)

func page(n int) *Page { return &Page{Status: 200, Body: bytes.Repeat([]byte("x"), n)} }

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New(8 * (1000 + 256))
	for i := range 8 {
		c.Put(fmt.Sprint(i), page(1000))
	}
	c.Get("0") // 0 is now the most recently used
	c.Put("new", page(1000))
	if _, ok := c.Get("1"); ok {
		t.Error("the least recently used page was kept")
	}
	for _, k := range []string{"0", "new", "7"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("page %s was dropped", k)
		}
	}
	if c.Len() != 8 {
		t.Errorf("%d pages, want 8", c.Len())
	}
	c.Put("huge", page(4000)) // over an eighth of the cache
	if _, ok := c.Get("huge"); ok {
		t.Error("a page too large was kept")
	}
	c.Put("0", page(10)) // replacing frees the old size
	if c.bytes != 7*(1000+256)+10+256 {
		t.Errorf("accounted %d bytes", c.bytes)
	}
}

func TestZeroSizeCacheKeepsNothing(t *testing.T) {
	c := New(0)
	c.Put("a", page(1))
	if c.Len() != 0 || c.Fits(page(1)) {
		t.Error("a cache of 0 bytes kept a page")
	}
}

func TestCompress(t *testing.T) {
	for name, compress := range map[string]func([]byte) []byte{"default": Compress, "fast": CompressFast} {
		if compress([]byte("short")) != nil {
			t.Errorf("%s: a tiny body was compressed", name)
		}
		// Twice, with different bodies: a reused compressor starts afresh.
		for _, line := range []string{"the transcript line ", "another line said "} {
			body := []byte(strings.Repeat(line, 200))
			gz := compress(body)
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			if back, _ := io.ReadAll(zr); !bytes.Equal(back, body) || len(gz) >= len(body) {
				t.Errorf("%s: round trip %v, %d → %d bytes", name, bytes.Equal(back, body), len(body), len(gz))
			}
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip": true, "GZIP": true, "deflate, gzip;q=0.5": true, "br, gzip": true, "*": true,
		"": false, "identity": false, "gzip;q=0": false, "gzip; q=0.000": false, "br": false, "gzipx": false,
	} {
		if got := AcceptsGzip(header); got != want {
			t.Errorf("AcceptsGzip(%q) = %v", header, got)
		}
	}
}

func BenchmarkCompress(b *testing.B) {
	body := bytes.Repeat([]byte(`<li class="hit"><a href="/videos/abc#t12">some words of a transcript line</a></li>`+"\n"), 250)
	for _, c := range []struct {
		name string
		fn   func([]byte) []byte
	}{{"default", Compress}, {"fast", CompressFast}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.fn(body)
			}
		})
	}
}
