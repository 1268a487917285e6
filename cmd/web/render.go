package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

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
// request's: its scheme as Echo reads it (TLS, or a proxy's
// X-Forwarded-Proto and kin) and its host.
func (s *server) origin(r *http.Request) string {
	if s.baseURL != "" {
		return s.baseURL
	}
	return scheme(r) + "://" + r.Host
}

// scheme is the request's scheme by the same rules as echo.Context.Scheme.
func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if proto := r.Header.Get(echo.HeaderXForwardedProto); proto != "" {
		return proto
	}
	if proto := r.Header.Get(echo.HeaderXForwardedProtocol); proto != "" {
		return proto
	}
	if r.Header.Get(echo.HeaderXForwardedSsl) == "on" {
		return "https"
	}
	if proto := r.Header.Get(echo.HeaderXUrlScheme); proto != "" {
		return proto
	}
	return "http"
}
