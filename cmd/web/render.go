package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/views"
)

// render writes a page rendered in full into a buffer first, so a failure
// half-way becomes an error page rather than half a page with a 200.
func (s *server) render(c echo.Context, status int, page templ.Component) error {
	var buf bytes.Buffer
	if err := page.Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Path(), err)
	}
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.HTMLBlob(status, buf.Bytes())
}

// chrome is the layout's model for a page titled title; query fills the
// header's search box. The canonical URL is the request's path; pages with
// meaningful parameters set their own.
func (s *server) chrome(c echo.Context, title, description, query string) views.Chrome {
	return views.Chrome{
		Title:       title,
		Description: description,
		Query:       query,
		CSS:         s.assets.URL("site.css"),
		JS:          s.assets.URL("app.js"),
		Icon:        s.assets.URL("icon.svg"),
		Canonical:   s.absolute(c, c.Request().URL.Path),
	}
}

// absolute turns a path of this site into an absolute URL, on the
// configured origin or the request's.
func (s *server) absolute(c echo.Context, path string) string {
	return s.origin(c.Request()) + path
}

// origin is the configured origin of the site or, without one, the
// request's: https when it came over TLS, else http, on the Host it
// named. A proxy's X-Forwarded-Proto and X-Forwarded-Host are believed
// only with -trust-proxy, and only as an http or https scheme and a
// well-formed host: these headers come from the client unless a proxy
// sets them, and the origin goes into every absolute link of a page,
// which a cache in front may keep and hand to everyone.
func (s *server) origin(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if s.trustProxy {
		if proto := strings.ToLower(strings.TrimSpace(firstValue(r.Header.Get(echo.HeaderXForwardedProto)))); proto == "http" || proto == "https" {
			scheme = proto
		}
		if fwd := strings.TrimSpace(firstValue(r.Header.Get("X-Forwarded-Host"))); fwd != "" && validHost(fwd) {
			host = fwd
		}
	}
	if !validHost(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// firstValue is the first of a header's comma-separated values: the one
// the proxy nearest the client set.
func firstValue(v string) string {
	first, _, _ := strings.Cut(v, ",")
	return first
}

// validHost reports whether h is a host name or IP address with an
// optional port, and nothing that could end the authority of a URL.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, c := range h {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.' || c == '-' || c == ':' || c == '[' || c == ']':
		default:
			return false
		}
	}
	return true
}
