package httpgzip

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

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

func TestAccepts(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip": true, "GZIP": true, "deflate, gzip;q=0.5": true, "br, gzip": true, "*": true,
		"": false, "identity": false, "gzip;q=0": false, "gzip; q=0.000": false, "br": false, "gzipx": false,
	} {
		if got := Accepts(header); got != want {
			t.Errorf("Accepts(%q) = %v", header, got)
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
