package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/export"
	"github.com/transcripts/site/internal/search"
)

// maxExportHits bounds the hits of one CSV or clip list: the ranked ones.
const maxExportHits = search.RankCap

// searchCSV streams the hits of a search (the best maxExportHits, in the
// request's order) as CSV.
func (s *server) searchCSV(c echo.Context) error {
	header := []string{"video_id", "title", "start_second", "end_second", "moment_second", "text", "youtube_url", "url"}
	var w *csv.Writer
	return s.streamHits(c, ".csv", "text/csv; charset=utf-8",
		func() error {
			w = csv.NewWriter(c.Response())
			return w.Write(header)
		},
		func(h search.Hit) error {
			return w.Write([]string{
				h.VideoID, export.CSVCell(displayTitle(h.VideoID, h.Title)), strconv.Itoa(h.Start), strconv.Itoa(h.End), strconv.Itoa(h.Moment),
				export.CSVCell(h.Text), catalog.WatchURL(h.VideoID, h.Moment), s.absolute(c, searchedLineURL(h.VideoID, strings.TrimSpace(c.QueryParam("q")), h.Start)),
			})
		},
		func() error { w.Flush(); return w.Error() })
}

// searchClips streams a clip list of a search: a shell script with one
// yt-dlp command per hit that downloads just that moment
// (--download-sections "*START-END").
func (s *server) searchClips(c echo.Context) error {
	out := c.Response()
	return s.streamHits(c, ".sh", "text/plain; charset=utf-8",
		func() error {
			_, err := fmt.Fprintf(out, "#!/bin/sh\n# Moments matching %s, best first, from %s\n# Each line downloads one moment with yt-dlp.\n",
				strings.Join(strings.Fields(c.QueryParam("q")), " "), s.absolute(c, withQuery("/search", c.QueryParams())))
			return err
		},
		func(h search.Hit) error {
			// Video ids are [A-Za-z0-9_-]: nothing to quote.
			_, err := fmt.Fprintf(out, "yt-dlp --download-sections '*%d-%d' '%s'\n", h.Start, h.End, catalog.WatchURL(h.VideoID, 0))
			return err
		},
		func() error { return nil })
}

// streamHits runs the search of ?q= and streams its hits as a download.
// The status and headers are sent with the first hit (or at the end), so a
// query that fails before any hit still gets its error status.
func (s *server) streamHits(c echo.Context, ext, contentType string, begin func() error, write func(search.Hit) error, end func() error) error {
	r, _, err := requiredSearch(c)
	if err != nil {
		return err
	}
	started := false
	start := func() error {
		started = true
		h := c.Response().Header()
		h.Set(echo.HeaderContentType, contentType)
		setAttachment(c, "search-"+slug(r.Query)+ext)
		c.Response().WriteHeader(http.StatusOK)
		return begin()
	}
	err = s.search.Each(c.Request().Context(), r, maxExportHits, func(h search.Hit) error {
		if !started {
			if err := start(); err != nil {
				return err
			}
		}
		return write(h)
	})
	if err != nil && !started {
		return searchError(err)
	}
	if err != nil {
		// Half a download has gone out; the client sees it cut short.
		if c.Request().Context().Err() != nil {
			s.log.Info("client closed request", "uri", c.Request().RequestURI, "status", statusClientClosed)
		} else {
			s.log.Error("export cut short", "uri", c.Request().RequestURI, "err", err)
		}
		return nil
	}
	if !started {
		if err := start(); err != nil {
			return err
		}
	}
	return end()
}

// slug makes a file name part from a query: "decision boundary" →
// "decision-boundary".
func slug(q string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(q) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			if b.Len() >= 40 {
				break
			}
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "results"
	}
	return b.String()
}
