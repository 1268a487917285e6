package main

import (
	"bytes"
	"fmt"

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
	return c.HTMLBlob(status, buf.Bytes())
}

// chrome is the layout's model for a page titled title; query fills the
// header's search box.
func (s *server) chrome(title, description, query string) views.Chrome {
	return views.Chrome{
		Title:       title,
		Description: description,
		Query:       query,
		CSS:         s.assets.URL("site.css"),
		JS:          s.assets.URL("app.js"),
		Icon:        s.assets.URL("icon.svg"),
	}
}
