package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkPages renders whole pages through the Echo stack over the
// sample database.
func BenchmarkPages(b *testing.B) {
	app := newTestApp(b)
	for _, p := range []struct{ name, target string }{
		{"home", "/"},
		{"video", "/videos/1L83tM8nwHU"},
		{"search", "/search?q=learning"},
		{"search-empty", "/search?q=xylophone"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				app.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p.target, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", p.target, rec.Code)
				}
			}
		})
	}
}
