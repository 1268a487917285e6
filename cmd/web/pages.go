package main

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/views"
)

// docPage serves a Markdown page rendered at start-up.
func (s *server) docPage(name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := s.docs[name] // presence checked in newServer
		doc := views.Doc{HTML: p.HTML}
		if name == "search-help" {
			doc.Tips = s.tips(c.Request().Context())
		}
		return s.render(c, http.StatusOK, views.DocPage(s.chrome(c, p.Title, "", ""), doc))
	}
}
